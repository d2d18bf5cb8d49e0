//! Table rows (cells of paragraphs, and each row's definition) → the block model's table,
//! with one `Cell` per grid column as the DOCX reader gives it.
//!
//! A `.doc` row lists its cells' boundaries (twips) rather than a grid: the table's grid is
//! every boundary of every row, and a cell spanning several grid columns (a merged or
//! simply wider cell) is followed by an empty cell for each column it covers; a row that
//! starts right of the table's first boundary gets empty cells in front. Continuation
//! cells of a vertical merge and of a legacy horizontal merge are empty.

use docmodel::{Cell, Table};

use crate::props::RowDef;

/// Boundaries closer than this (twips, 1 pt) are one grid line: widths rounded
/// differently in two rows must not make a sliver column.
const SAME_LINE: i32 = 20;

/// Word's own limit on a table's columns. A grid wider than this comes from damaged row
/// definitions, and would give every row thousands of empty cells: its rows keep their
/// cells as they are instead.
const MAX_GRID_COLUMNS: usize = 63;

pub(crate) struct Row {
    pub cells: Vec<Vec<String>>,
    pub def: Option<RowDef>,
}

pub(crate) fn render(rows: Vec<Row>) -> Table {
    let mut lines: Vec<i32> = rows
        .iter()
        .filter_map(|r| r.def.as_ref())
        .flat_map(|d| d.bounds.iter().map(|b| *b as i32))
        .collect();
    lines.sort_unstable();
    lines.dedup_by(|b, a| *b - *a < SAME_LINE);
    if lines.len() > MAX_GRID_COLUMNS + 1 {
        lines.clear();
    }
    let column = |x: i16| -> usize {
        let x = x as i32;
        lines.partition_point(|l| *l + SAME_LINE / 2 <= x)
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::new();
        let def = row
            .def
            .as_ref()
            .filter(|d| !lines.is_empty() && d.bounds.len() == row.cells.len() + 1);
        if let Some(def) = def {
            cells.resize(column(def.bounds[0]), Cell::default());
        }
        for (i, paragraphs) in row.cells.into_iter().enumerate() {
            let (hmerge, vmerge) = def.and_then(|d| d.merge.get(i).copied()).unwrap_or((0, 0));
            // horzMerge 2: merged into the cell before; vertMerge 1: merged into the cell
            // above (3 starts a merge and keeps its text).
            let continuation = hmerge == 2 || vmerge == 1;
            cells.push(if continuation {
                Cell::default()
            } else {
                Cell { paragraphs }
            });
            if let Some(def) = def {
                let span = column(def.bounds[i + 1]).saturating_sub(column(def.bounds[i]));
                for _ in 1..span.max(1) {
                    cells.push(Cell::default());
                }
            }
        }
        if def.is_some() {
            let width = lines.len().saturating_sub(1);
            if cells.len() < width && row_ends_early(&row.def, &lines) {
                cells.resize(width, Cell::default());
            }
        }
        out.push(cells);
    }
    Table::new(out)
}

/// Whether the row's last boundary is left of the table's last grid line.
fn row_ends_early(def: &Option<RowDef>, lines: &[i32]) -> bool {
    match (def.as_ref().and_then(|d| d.bounds.last()), lines.last()) {
        (Some(b), Some(l)) => (*b as i32) + SAME_LINE <= *l,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str], bounds: &[i16], merge: &[(u8, u8)]) -> Row {
        Row {
            cells: cells.iter().map(|c| vec![c.to_string()]).collect(),
            def: Some(RowDef {
                bounds: bounds.to_vec(),
                merge: merge.to_vec(),
            }),
        }
    }

    fn texts(t: &Table) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| r.iter().map(|c| c.paragraphs.join("/")).collect())
            .collect()
    }

    #[test]
    fn wide_cells_and_merges_line_up_on_the_grid() {
        let t = render(vec![
            // a header cell over two columns, boundaries 1 twip off the next row's
            row(&["序号", "责任分工"], &[0, 500, 2501], &[(0, 3), (0, 0)]),
            row(
                &["", "牵头", "责任"],
                &[0, 500, 1500, 2500],
                &[(0, 1), (0, 0), (0, 0)],
            ),
            // a row starting at the second column, and one ending early
            row(&["x"], &[500, 1500], &[(0, 0)]),
            row(&["y"], &[0, 500], &[(0, 0)]),
        ]);
        assert_eq!(
            texts(&t),
            [
                vec!["序号", "责任分工", ""],
                vec!["", "牵头", "责任"],
                vec!["", "x", ""],
                vec!["y", "", ""],
            ]
        );
    }

    #[test]
    fn a_grid_wider_than_words_limit_is_not_used() {
        // 100 rows, each ending 100 twips further right: a 100-column "grid".
        let rows = (1..=100)
            .map(|i| row(&["a"], &[0, 100 * i], &[(0, 0)]))
            .collect();
        let t = render(rows);
        assert!(t.rows.iter().all(|r| r.len() == 1));
    }

    #[test]
    fn rows_without_a_definition_keep_their_cells() {
        let t = render(vec![Row {
            cells: vec![vec!["a".into()], vec!["b".into()]],
            def: None,
        }]);
        assert_eq!(texts(&t), [vec!["a", "b"]]);
    }
}
