//! A small JSON Schema checker for the keywords our schemas use (type, required, properties,
//! additionalProperties, items, prefixItems, minItems, maxItems, enum, minimum, pattern as a
//! date-time shape, $ref to #/$defs). Enough to hold our output to `schema/`, without a heavy
//! dependency.

use serde_json::Value;

/// Returns every violation of `schema` by `value`, as `path: problem`.
pub fn violations(schema: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, schema, value, "$", &mut out);
    out
}

fn check(root: &Value, schema: &Value, value: &Value, path: &str, out: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        match root.get("$defs").and_then(|d| d.get(name)) {
            Some(target) => check(root, target, value, path, out),
            None => out.push(format!("{path}: unknown $ref {reference}")),
        }
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if !allowed.iter().any(|t| has_type(value, t)) {
            out.push(format!("{path}: expected {allowed:?}, got {value}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            out.push(format!("{path}: {value} not in {options:?}"));
        }
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if n < min {
            out.push(format!("{path}: {n} < {min}"));
        }
    }
    if let (Some(_), Some(s)) = (schema.get("pattern"), value.as_str()) {
        let b = s.as_bytes();
        let shape = b.len() == 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[19] == b'Z';
        if !shape {
            out.push(format!("{path}: {s:?} is not YYYY-MM-DDTHH:MM:SSZ"));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for key in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(key) = key.as_str() {
                if !object.contains_key(key) {
                    out.push(format!("{path}: missing {key}"));
                }
            }
        }
        for (key, child) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(sub) => check(root, sub, child, &format!("{path}.{key}"), out),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{path}: unexpected property {key}"));
                }
                None => {}
            }
        }
    }
    if let Some(items) = value.as_array() {
        let count = items.len() as u64;
        if schema
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| count < m)
        {
            out.push(format!("{path}: too few items"));
        }
        if schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| count > m)
        {
            out.push(format!("{path}: too many items"));
        }
        let prefix = schema.get("prefixItems").and_then(Value::as_array);
        for (i, item) in items.iter().enumerate() {
            let sub = prefix
                .and_then(|p| p.get(i))
                .or_else(|| schema.get("items"));
            if let Some(sub) = sub {
                check(root, sub, item, &format!("{path}[{i}]"), out);
            }
        }
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    }
}
