//! Which step of the parser took which paragraph.
//!
//! The steps run in a fixed order, written once here as [`Step`] (`parse_with` runs them
//! in it): the items first, then the head, the tail, the attachments, and what stands
//! around the items. Each step may claim only paragraphs no earlier step claimed; what
//! nobody claims is preamble or closing text. Claims say what a paragraph became, so a
//! reader (or a test) can ask why a paragraph was not read as something else. Debug builds
//! check both rules: a claim on a claimed unit, or by a step that should already have run,
//! panics.

use std::ops::RangeBounds;

use crate::Unit;

/// The parser's steps, in the order they run and claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The items: the numbered outline's level that carries units notes, or the table that
    /// lists them, and the headings they sit under (`find_items`).
    Items,
    /// Before the first item: 发文字号, title, letterhead, addressees (`head::read`).
    Head,
    /// Wherever they stand: signature and 成文日期, publisher, 附注, 抄送, 印发 (`read_tail`).
    Tail,
    /// Attachment notes, headings and section titles (`attachments::read`).
    Attachments,
    /// The plan title just above the first item (`read_around_items`); what is left is
    /// preamble and closing.
    AroundItems,
}

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

impl Role {
    /// The step that claims paragraphs as this.
    pub fn step(self) -> Step {
        match self {
            Role::Item | Role::ItemHeading | Role::ListTable => Step::Items,
            Role::DocNumber | Role::Title | Role::Letterhead | Role::Addressees => Step::Head,
            Role::Date
            | Role::Signature
            | Role::Publisher
            | Role::Publicity
            | Role::Cc
            | Role::Printed => Step::Tail,
            Role::Attachment => Step::Attachments,
            Role::PlanTitle => Step::AroundItems,
        }
    }
}

/// The claims on a document's units.
pub struct Claims {
    by: Vec<Option<Role>>,
    paragraph: Vec<bool>,
    /// The step of the latest claim (claims come in [`Step`] order).
    step: Step,
}

impl Claims {
    /// No claims on `units` yet.
    pub fn new(units: &[Unit]) -> Self {
        Claims {
            by: vec![None; units.len()],
            paragraph: units.iter().map(Unit::is_paragraph).collect(),
            step: Step::Items,
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
        self.check(role);
        debug_assert!(
            self.by[i].is_none(),
            "unit {i} claimed as {role:?} over {:?}",
            self.by[i]
        );
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
        self.check(role);
        for (i, by) in self.by[start..end].iter().enumerate() {
            debug_assert!(
                by.is_none(),
                "unit {} claimed as {role:?} over {by:?}",
                start + i
            );
        }
        self.by[start..end].fill(Some(role));
    }

    /// Claims come in step order: a step claims nothing once a later one has claimed.
    fn check(&mut self, role: Role) {
        let step = role.step();
        debug_assert!(
            step >= self.step,
            "{role:?} claimed by step {step:?} after step {:?}",
            self.step
        );
        self.step = self.step.max(step);
    }
}
