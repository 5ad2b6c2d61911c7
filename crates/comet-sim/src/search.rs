//! `SearchClause` evaluation over `BackupJobDetail` (§3.10, §5.8, §6.3).

use serde_json::Value;

use crate::core::SimError;

/// Parses `Query` and evaluates it against a job's wire JSON.
pub fn parse(query: &str) -> Result<Value, SimError> {
    let v: Value = serde_json::from_str(query).map_err(|_| SimError::BadRequest("Query is not valid JSON".into()))?;
    validate(&v)?;
    Ok(v)
}

/// Every `SEARCHOPERATOR_*` value (§3.10).
const OPERATORS: &[&str] = &[
    "bool_is",
    "bool_nis",
    "int_eq",
    "int_gt",
    "int_gte",
    "int_lt",
    "int_lte",
    "int_neq",
    "str_contains",
    "str_contains_ci",
    "str_endswith",
    "str_endswith_ci",
    "str_eq",
    "str_eq_ci",
    "str_ncontains",
    "str_ncontains_ci",
    "str_nendswith",
    "str_nendswith_ci",
    "str_neq",
    "str_neq_ci",
    "str_nregexmatch",
    "str_nstartswith",
    "str_nstartswith_ci",
    "str_regexmatch",
    "str_startswith",
    "str_startswith_ci",
];

fn text<'a>(clause: &'a Value, key: &str) -> &'a str {
    clause.get(key).and_then(Value::as_str).unwrap_or("")
}

fn children(clause: &Value) -> &[Value] {
    clause.get("ClauseChildren").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// Rejects unknown clause types and operators up front (a real server answers 400 too).
fn validate(clause: &Value) -> Result<(), SimError> {
    match text(clause, "ClauseType") {
        "" => {
            let op = text(clause, "RuleOperator");
            if !OPERATORS.contains(&op) {
                return Err(SimError::BadRequest(format!("unknown RuleOperator {op:?}")));
            }
            if op.contains("regexmatch") {
                return Err(SimError::BadRequest("regular-expression operators are not implemented by simulator".into()));
            }
            Ok(())
        }
        "and" | "or" | "not_and" | "not_or" => children(clause).iter().try_for_each(validate),
        other => Err(SimError::BadRequest(format!("unknown ClauseType {other:?}"))),
    }
}

/// True when `job` (a `BackupJobDetail` as JSON) matches `clause`.
pub fn matches(clause: &Value, job: &Value) -> bool {
    let kids = children(clause);
    match text(clause, "ClauseType") {
        "and" => kids.iter().all(|c| matches(c, job)),
        "or" => kids.iter().any(|c| matches(c, job)),
        "not_and" => !kids.iter().all(|c| matches(c, job)),
        "not_or" => !kids.iter().any(|c| matches(c, job)),
        _ => rule(clause, job),
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// True when a `SearchResultFileInfo` (as JSON, lower-case keys) matches `clause`. Fields are
/// named as for jobs, by the Go struct and field (`SearchResultFileInfo.Name`, `.Path`, `.Type`,
/// `.Size`, `.ModTime`); the bare JSON keys (`name`, `path`, ...) are accepted too.
pub fn matches_file(clause: &Value, file: &Value) -> bool {
    let mut named = file.as_object().cloned().unwrap_or_default();
    for (go, key) in
        [("Path", "path"), ("Name", "name"), ("Type", "type"), ("Mode", "mode"), ("ModTime", "mtime"), ("Size", "size")]
    {
        named.insert(go.to_string(), file.get(key).cloned().unwrap_or(Value::Null));
    }
    matches(clause, &Value::Object(named))
}

fn rule(clause: &Value, job: &Value) -> bool {
    let field = text(clause, "RuleField");
    let field = field.strip_prefix("BackupJobDetail.").or_else(|| field.strip_prefix("SearchResultFileInfo.")).unwrap_or(field);
    let op = text(clause, "RuleOperator");
    let want = text(clause, "RuleValue");
    // An omitempty field that is absent compares as its zero value.
    let got = job.get(field).cloned().unwrap_or(Value::Null);
    if let Some(int_op) = op.strip_prefix("int_") {
        let have = got.as_i64().unwrap_or(0);
        let Ok(want) = want.trim().parse::<i64>() else {
            return false;
        };
        return match int_op {
            "eq" => have == want,
            "neq" => have != want,
            "gt" => have > want,
            "gte" => have >= want,
            "lt" => have < want,
            "lte" => have <= want,
            _ => false,
        };
    }
    if let Some(bool_op) = op.strip_prefix("bool_") {
        let have = got.as_bool().unwrap_or(false);
        let Some(want) = parse_bool(want) else {
            return false;
        };
        return match bool_op {
            "is" => have == want,
            "nis" => have != want,
            _ => false,
        };
    }
    let Some(str_op) = op.strip_prefix("str_") else {
        return false;
    };
    let have = got.as_str().unwrap_or("");
    let (str_op, have, want) = match str_op.strip_suffix("_ci") {
        Some(base) => (base, have.to_lowercase(), want.to_lowercase()),
        None => (str_op, have.to_string(), want.to_string()),
    };
    match str_op {
        "eq" => have == want,
        "neq" => have != want,
        "contains" => have.contains(&want),
        "ncontains" => !have.contains(&want),
        "startswith" => have.starts_with(&want),
        "nstartswith" => !have.starts_with(&want),
        "endswith" => have.ends_with(&want),
        "nendswith" => !have.ends_with(&want),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn leaf(field: &str, op: &str, value: &str) -> Value {
        json!({"ClauseType": "", "RuleField": field, "RuleOperator": op, "RuleValue": value})
    }

    #[test]
    fn errors_and_warnings_filter_matches_the_portal_query() {
        let q = json!({"ClauseType": "or", "ClauseChildren": [
            leaf("BackupJobDetail.Status", "int_eq", "7001"),
            leaf("BackupJobDetail.Status", "int_eq", "7002"),
        ]});
        assert!(matches(&q, &json!({"Status": 7002})));
        assert!(!matches(&q, &json!({"Status": 5000})));
    }

    #[test]
    fn bare_fields_ci_strings_and_negations() {
        let job = json!({"Username": "Alice", "Classification": 4001});
        assert!(matches(&leaf("Username", "str_eq_ci", "alice"), &job));
        assert!(!matches(&leaf("Username", "str_eq", "alice"), &job));
        let q = json!({"ClauseType": "not_and", "ClauseChildren": [
            leaf("Username", "str_startswith", "Al"), leaf("Classification", "int_gt", "4000")]});
        assert!(!matches(&q, &job));
        assert!(matches(&leaf("SnapshotID", "str_eq", ""), &job), "absent = zero value");
    }

    #[test]
    fn file_search_names_go_fields_or_json_keys() {
        let file = json!({"path": "/Documents/notes.txt", "name": "notes.txt", "type": "file", "size": 2048});
        assert!(matches_file(&leaf("SearchResultFileInfo.Name", "str_contains_ci", "NOTES"), &file));
        assert!(matches_file(&leaf("name", "str_eq", "notes.txt"), &file));
        assert!(!matches_file(&leaf("SearchResultFileInfo.Name", "str_contains", "budget"), &file));
        assert!(matches_file(&leaf("SearchResultFileInfo.Size", "int_gt", "1000"), &file));
    }

    #[test]
    fn unknown_operators_and_regex_are_rejected() {
        assert!(parse(&leaf("Status", "int_between", "1").to_string()).is_err());
        assert!(parse(&leaf("Username", "str_regexmatch", "a.*").to_string()).is_err());
        assert!(parse(r#"{"ClauseType":"xor"}"#).is_err());
    }
}
