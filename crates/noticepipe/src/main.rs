//! The `noticepipe` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    Parse {
        file: PathBuf,
        #[command(flatten)]
        isolation: noticepipe::batch::IsolationArgs,
    },
    /// Convert files and directories into one JSON record per document.
    Convert(noticepipe::batch::ConvertArgs),
    /// Print the JSON Schema of the record.
    Schema,
    /// Serve extraction requests on stdin (started by `convert` and `parse`).
    #[command(name = "__worker", hide = true)]
    Worker,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse { file, isolation } => match isolation.runner().process(
            &file,
            noticepipe::worker::Forms {
                pretty: true,
                line: false,
            },
        ) {
            Ok(processed) => {
                print!("{}", processed.pretty);
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::from(1)
            }
        },
        Command::Convert(args) => noticepipe::batch::run(&args),
        Command::Worker => match noticepipe::worker::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("worker: {e}");
                ExitCode::from(3)
            }
        },
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
