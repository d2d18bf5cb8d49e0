//! The resume check: an input whose record is already on disk, made from the same bytes by
//! this schema version, is not converted again.

use noticepipe::FollowLinks;
use noticepipe_output::Record;

use super::Job;

/// A record is at most this big for the resume check (records are tens of KB; a larger
/// file at a record path is not ours and is converted over).
const MAX_RECORD_BYTES: u64 = 64 << 20;

/// `job`'s record, when it exists, is a regular file (never a link, a FIFO or a device),
/// and was made from `input` (its sha256) by this schema version.
pub(super) fn up_to_date(job: &Job, input: &[u8]) -> Option<Record> {
    let output = job.output.as_ref()?;
    let existing = noticepipe::read_regular_file(output, MAX_RECORD_BYTES, FollowLinks::No).ok()?;
    let record: Record = serde_json::from_slice(&existing).ok()?;
    (record.schema_version == noticepipe_output::SCHEMA_VERSION
        && record.source.sha256 == noticepipe::sha256_hex(input))
    .then_some(record)
}
