//! Which step of the parser took which paragraph.
//!
//! The steps run in a fixed order (see `parse_with`): the items first, then the head, the
//! tail, the attachments, and what stands around the items. Each step may claim only
//! paragraphs no earlier step claimed; what nobody claims is preamble or closing text.
//! Claims say what a paragraph became, so a reader (or a test) can ask why a paragraph was
//! not read as something else.

use std::ops::RangeBounds;

use crate::Unit;

/// What a paragraph was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Part of an item (its heading, body or units note).
    Item,
    /// A category or section heading the items sit under.
    ItemHeading,
    /// The table whose rows are the items.
    ListTable,
    /// The 发文字号.
    DocNumber,
    /// A line of the title.
    Title,
    /// A letterhead's organ line (or its 文件).
    Letterhead,
    /// The 主送机关 line.
    Addressees,
    /// The 成文日期 line.
    Date,
    /// A signing organ's line above the date.
    Signature,
    /// The organ that published a draft ("X…发布").
    Publisher,
    /// The 附注 (此件公开发布).
    Publicity,
    /// The 抄送 list.
    Cc,
    /// The 印发 line and its organ.
    Printed,
    /// An attachment note, heading or section title.
    Attachment,
    /// The plan title above the first item.
    PlanTitle,
}

/// The claims on a document's units.
pub struct Claims {
    by: Vec<Option<Role>>,
    paragraph: Vec<bool>,
}

impl Claims {
    /// No claims on `units` yet.
    pub fn new(units: &[Unit]) -> Self {
        Claims {
            by: vec![None; units.len()],
            paragraph: units.iter().map(Unit::is_paragraph).collect(),
        }
    }

    /// A paragraph no step has claimed.
    pub fn free(&self, i: usize) -> bool {
        self.paragraph[i] && self.by[i].is_none()
    }

    /// Whether some step claimed unit `i`.
    pub fn taken(&self, i: usize) -> bool {
        self.by[i].is_some()
    }

    /// Unit `i` read as `role`.
    pub fn claim(&mut self, i: usize, role: Role) {
        self.by[i] = Some(role);
    }

    /// Units `range` read as `role`.
    pub fn claim_range(&mut self, range: impl RangeBounds<usize>, role: Role) {
        let start = match range.start_bound() {
            std::ops::Bound::Included(&s) => s,
            std::ops::Bound::Excluded(&s) => s + 1,
            std::ops::Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            std::ops::Bound::Included(&e) => e + 1,
            std::ops::Bound::Excluded(&e) => e,
            std::ops::Bound::Unbounded => self.by.len(),
        };
        self.by[start..end].fill(Some(role));
    }
}
