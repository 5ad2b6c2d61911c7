//! Fitting text we do not control (Comet names, ids, locales; browser input) into the columns
//! `schema` defines, so that no value can fail a write under strict mode.
//!
//! Three kinds of column, three rules:
//! - display text ([`display`]): cut to the column's width at a character boundary (MySQL counts
//!   `VARCHAR(n)` in characters; `TEXT` in bytes), so a 4-byte emoji is never split;
//! - the row's own key ([`key`]): never cut — two long ids with a common prefix would collide —
//!   the row is refused instead (the caller logs it with the account and goes on);
//! - ids that point at another row ([`reference`]): never cut either (a cut id would point at the
//!   wrong row, or at none); stored as unknown instead.
//!
//! Widths come from the one definition in `schema`, looked up by table and column name, so a
//! column widened there is widened here too. SQLite has no widths; the same cut is applied so that
//! both backends store the same thing.

use std::borrow::Cow;
use std::fmt;

use super::schema::{Table, Ty};

/// MySQL `TEXT`: 65,535 bytes.
const TEXT_BYTES: usize = 65_535;

/// How much a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    Chars(usize),
    Bytes(usize),
    /// `LONGTEXT` (4 GiB) and non-text columns: nothing to fit.
    Unbounded,
}

/// The capacity of `table.column`. Panics when the column is not defined: a call site naming a
/// column that does not exist is a programming error the tests of that write path catch.
pub fn capacity(table: &Table, column: &str) -> Capacity {
    let c = table.column(column).unwrap_or_else(|| panic!("{}.{column} is not defined in db::schema", table.name));
    match c.ty {
        Ty::Id(n) | Ty::Varchar(n) => Capacity::Chars(usize::from(n)),
        Ty::Text => Capacity::Bytes(TEXT_BYTES),
        _ => Capacity::Unbounded,
    }
}

fn fits(capacity: Capacity, value: &str) -> bool {
    match capacity {
        // A byte count bounds the character count: most values are decided without counting.
        Capacity::Chars(n) => value.len() <= n || value.chars().count() <= n,
        Capacity::Bytes(n) => value.len() <= n,
        Capacity::Unbounded => true,
    }
}

/// `value` cut to what `table.column` holds, never inside a character.
pub fn display<'a>(table: &Table, column: &str, value: &'a str) -> Cow<'a, str> {
    let capacity = capacity(table, column);
    if fits(capacity, value) {
        return Cow::Borrowed(value);
    }
    let end = match capacity {
        Capacity::Chars(n) => value.char_indices().nth(n).map_or(value.len(), |(i, _)| i),
        Capacity::Bytes(n) => (0..=n).rev().find(|i| value.is_char_boundary(*i)).unwrap_or(0),
        Capacity::Unbounded => value.len(),
    };
    Cow::Owned(value[..end].to_string())
}

/// [`display`] into an owned `String` (for the structs the write paths build).
pub fn display_owned(table: &Table, column: &str, value: &str) -> String {
    display(table, column, value).into_owned()
}

/// A key value that does not fit its column: the row is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong {
    pub table: &'static str,
    pub column: String,
    pub chars: usize,
    pub capacity: Capacity,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let max = match self.capacity {
            Capacity::Chars(n) => format!("{n} characters"),
            Capacity::Bytes(n) => format!("{n} bytes"),
            Capacity::Unbounded => "unbounded".into(),
        };
        write!(f, "{}.{} holds {max}; the value has {} characters", self.table, self.column, self.chars)
    }
}

impl std::error::Error for TooLong {}

/// `value` unchanged when it fits `table.column`, else why the row cannot be written.
pub fn key<'a>(table: &Table, column: &str, value: &'a str) -> Result<&'a str, TooLong> {
    let capacity = capacity(table, column);
    if fits(capacity, value) {
        Ok(value)
    } else {
        Err(TooLong { table: table.name, column: column.to_string(), chars: value.chars().count(), capacity })
    }
}

/// `value` when it fits `table.column`, else `None` (stored as unknown: `''` or NULL).
pub fn reference<'a>(table: &Table, column: &str, value: &'a str) -> Option<&'a str> {
    key(table, column, value).ok()
}

/// [`reference`], with `''` for a value that does not fit.
pub fn reference_or_empty<'a>(table: &Table, column: &str, value: &'a str) -> &'a str {
    reference(table, column, value).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::{COMET_DEVICES, COMET_ITEMS, EB_AUDIT_LOG};

    #[test]
    fn display_cuts_at_the_width_in_characters_never_inside_one() {
        let emoji = "😀".repeat(300);
        let cut = display(&COMET_DEVICES, "name", &emoji);
        assert_eq!(cut.chars().count(), 255);
        assert_eq!(cut.len(), 255 * 4, "every kept emoji is whole");
        assert!(matches!(display(&COMET_DEVICES, "name", "Front desk"), Cow::Borrowed("Front desk")));
        let accents = "é".repeat(40);
        assert_eq!(display(&COMET_DEVICES, "platform_os", &accents).chars().count(), 32);
        // 255 two-byte characters are 510 bytes but fit: the width is in characters.
        let wide = "é".repeat(255);
        assert!(matches!(display(&COMET_DEVICES, "name", &wide), Cow::Borrowed(_)));
    }

    #[test]
    fn text_columns_are_cut_in_bytes_at_a_character_boundary() {
        let long = format!("a{}", "😀".repeat(20_000));
        let cut = display(&EB_AUDIT_LOG, "message", &long);
        assert!(cut.len() <= TEXT_BYTES && cut.len() > TEXT_BYTES - 4, "{}", cut.len());
        assert!(cut.starts_with('a') && cut[1..].chars().all(|c| c == '😀'));
    }

    #[test]
    fn keys_are_refused_not_cut() {
        let id = "x".repeat(65);
        let e = key(&COMET_ITEMS, "id", &id).unwrap_err();
        assert_eq!(e.to_string(), "comet_items.id holds 64 characters; the value has 65 characters");
        assert_eq!(key(&COMET_ITEMS, "id", &id[..64]), Ok(&id[..64]));
        assert_eq!(reference_or_empty(&COMET_ITEMS, "owner_device", &"d".repeat(256)), "");
        assert_eq!(reference(&COMET_ITEMS, "owner_device", "dev-1"), Some("dev-1"));
    }

    #[test]
    #[should_panic(expected = "comet_items.nope is not defined")]
    fn an_undefined_column_is_a_programming_error() {
        display(&COMET_ITEMS, "nope", "x");
    }
}
