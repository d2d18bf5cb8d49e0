//! The `noticepipe` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use noticepipe::Pipeline;

#[derive(Parser)]
#[command(
    name = "noticepipe",
    version,
    about = "Turn Chinese government notices (TXT, DOCX, PDF) into normalized JSON records"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the record of one file as pretty JSON.
    Parse { file: PathBuf },
    /// Convert files and directories into one JSON record per document.
    Convert(noticepipe::batch::ConvertArgs),
    /// Print the JSON Schema of the record.
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse { file } => match Pipeline::default().process_file(&file) {
            Ok(record) => {
                print!("{}", noticepipe_output::to_pretty_json(&record));
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        },
        Command::Convert(args) => noticepipe::batch::run(&args),
        Command::Schema => {
            let schema = noticepipe_output::record_schema();
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).expect("a schema serializes")
            );
            ExitCode::SUCCESS
        }
    }
}
