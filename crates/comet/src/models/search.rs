//! Job search (`SearchClause`, §3.10/§5.8) with builders for the queries a portal makes.

use super::wire::{Extra, is_default, null_as_default};
use serde::{Deserialize, Serialize};

/// `SEARCHCLAUSE_*` combinators.
pub mod clause_type {
    /// Leaf rule.
    pub const RULE: &str = "";
    /// All children match.
    pub const AND: &str = "and";
    /// Any child matches.
    pub const OR: &str = "or";
    /// Not all children match.
    pub const NOT_AND: &str = "not_and";
    /// No child matches.
    pub const NOT_OR: &str = "not_or";
}

/// `SEARCHOPERATOR_*` values (the `_ci` suffix means case-insensitive).
pub mod operator {
    /// bool ==
    pub const BOOL_IS: &str = "bool_is";
    /// bool !=
    pub const BOOL_NIS: &str = "bool_nis";
    /// int ==
    pub const INT_EQ: &str = "int_eq";
    /// int !=
    pub const INT_NEQ: &str = "int_neq";
    /// int >
    pub const INT_GT: &str = "int_gt";
    /// int >=
    pub const INT_GTE: &str = "int_gte";
    /// int <
    pub const INT_LT: &str = "int_lt";
    /// int <=
    pub const INT_LTE: &str = "int_lte";
    /// string == (case-sensitive)
    pub const STRING_EQ: &str = "str_eq";
    /// string == (case-insensitive)
    pub const STRING_EQ_CI: &str = "str_eq_ci";
    /// string !=
    pub const STRING_NEQ: &str = "str_neq";
    /// contains
    pub const STRING_CONTAINS: &str = "str_contains";
    /// contains (case-insensitive)
    pub const STRING_CONTAINS_CI: &str = "str_contains_ci";
    /// prefix
    pub const STRING_STARTSWITH: &str = "str_startswith";
    /// suffix
    pub const STRING_ENDSWITH: &str = "str_endswith";
    /// Go regexp match
    pub const STRING_REGEXMATCH: &str = "str_regexmatch";
}

/// `BackupJobDetail` field names as search fields.
pub mod job_field {
    /// Owning account.
    pub const USERNAME: &str = "BackupJobDetail.Username";
    /// Status code.
    pub const STATUS: &str = "BackupJobDetail.Status";
    /// Classification code.
    pub const CLASSIFICATION: &str = "BackupJobDetail.Classification";
    /// Start, unix seconds.
    pub const START_TIME: &str = "BackupJobDetail.StartTime";
    /// End, unix seconds.
    pub const END_TIME: &str = "BackupJobDetail.EndTime";
    /// Device ID.
    pub const DEVICE_ID: &str = "BackupJobDetail.DeviceID";
    /// Protected Item ID.
    pub const SOURCE_GUID: &str = "BackupJobDetail.SourceGUID";
    /// Storage Vault ID.
    pub const DESTINATION_GUID: &str = "BackupJobDetail.DestinationGUID";
}

/// A search tree: a leaf rule (`ClauseType` "") or a combinator over `ClauseChildren`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchClause {
    /// `""`, `and`, `or`, `not_and`, `not_or`.
    #[serde(rename = "ClauseType")]
    pub clause_type: String,
    /// Leaf: field, e.g. `BackupJobDetail.Status`.
    #[serde(rename = "RuleField")]
    pub rule_field: String,
    /// Leaf: operator, e.g. `int_gte`.
    #[serde(rename = "RuleOperator")]
    pub rule_operator: String,
    /// Leaf: value as text.
    #[serde(rename = "RuleValue")]
    pub rule_value: String,
    /// Children of a combinator.
    #[serde(rename = "ClauseChildren", skip_serializing_if = "is_default", deserialize_with = "null_as_default")]
    pub clause_children: Vec<SearchClause>,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SearchClause {
    /// A leaf rule.
    pub fn rule(field: &str, operator: &str, value: impl ToString) -> Self {
        Self {
            clause_type: clause_type::RULE.to_owned(),
            rule_field: field.to_owned(),
            rule_operator: operator.to_owned(),
            rule_value: value.to_string(),
            ..Self::default()
        }
    }

    fn combine(kind: &str, children: Vec<SearchClause>) -> Self {
        Self { clause_type: kind.to_owned(), clause_children: children, ..Self::default() }
    }

    /// All children match.
    pub fn and(children: Vec<SearchClause>) -> Self {
        Self::combine(clause_type::AND, children)
    }

    /// Any child matches.
    pub fn or(children: Vec<SearchClause>) -> Self {
        Self::combine(clause_type::OR, children)
    }

    /// No child matches.
    pub fn not_or(children: Vec<SearchClause>) -> Self {
        Self::combine(clause_type::NOT_OR, children)
    }

    /// Jobs of one account (exact, case-sensitive: Comet usernames are).
    pub fn username(user: &str) -> Self {
        Self::rule(job_field::USERNAME, operator::STRING_EQ, user)
    }

    /// Jobs whose status is in `min..=max` (e.g. 7000–7999 for every unsuccessful job).
    pub fn status_between(min: u64, max: u64) -> Self {
        Self::and(vec![
            Self::rule(job_field::STATUS, operator::INT_GTE, min),
            Self::rule(job_field::STATUS, operator::INT_LTE, max),
        ])
    }

    /// Jobs with exactly one of `statuses`.
    pub fn status_in(statuses: &[u64]) -> Self {
        Self::or(statuses.iter().map(|s| Self::rule(job_field::STATUS, operator::INT_EQ, s)).collect())
    }

    /// Jobs that started in `[from, to]` (unix seconds).
    pub fn started_between(from: i64, to: i64) -> Self {
        Self::and(vec![
            Self::rule(job_field::START_TIME, operator::INT_GTE, from),
            Self::rule(job_field::START_TIME, operator::INT_LTE, to),
        ])
    }

    /// Jobs of one device.
    pub fn device(device_id: &str) -> Self {
        Self::rule(job_field::DEVICE_ID, operator::STRING_EQ, device_id)
    }

    /// `self` and `other` (flattens into an existing `and`).
    pub fn and_also(mut self, other: SearchClause) -> Self {
        if self.clause_type == clause_type::AND {
            self.clause_children.push(other);
            self
        } else {
            Self::and(vec![self, other])
        }
    }
}

/// Answer of AdminCountJobsForCustomSearch (no Status/Message).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountJobsResponse {
    /// Matching jobs.
    #[serde(rename = "Count")]
    pub count: i64,
    /// Keys this crate does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builders_produce_the_wire_shape() {
        let q = SearchClause::username("alice").and_also(SearchClause::status_between(7000, 7999));
        let v = serde_json::to_value(&q).unwrap();
        assert_eq!(v["ClauseType"], "and");
        assert_eq!(
            v["ClauseChildren"][0],
            json!({"ClauseType":"","RuleField":"BackupJobDetail.Username","RuleOperator":"str_eq","RuleValue":"alice"})
        );
        assert_eq!(v["ClauseChildren"][1]["ClauseChildren"][1]["RuleValue"], "7999");
        let chained = SearchClause::and(vec![]).and_also(SearchClause::device("d")).and_also(SearchClause::started_between(1, 2));
        assert_eq!(chained.clause_children.len(), 2, "and_also extends an existing and");
        let any = SearchClause::status_in(&[7001, 7002]);
        assert_eq!(any.clause_type, "or");
        assert_eq!(any.clause_children[1].rule_value, "7002");
    }
}
