//! `\x05SummaryInformation`: title, author and creation time, when present.

use crate::Limits;
use crate::container::Container;

pub(crate) struct Summary {
    pub title: Option<String>,
    pub author: Option<String>,
    pub created: Option<String>,
}

pub(crate) fn read(_cf: &mut Container, _limits: &Limits) -> Option<Summary> {
    None
}
