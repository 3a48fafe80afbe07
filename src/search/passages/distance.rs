//! Bounded edit distance for fuzzy terms.

/// Whether the optimal-string-alignment distance (Levenshtein plus adjacent transpositions)
/// between `a` and `b` is at most `max`.
pub(super) fn within_distance<T: PartialEq>(a: &[T], b: &[T], max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    const STACK: usize = 64;
    let width = b.len() + 1;
    if width <= STACK {
        let mut rows = [0usize; 3 * STACK];
        distance_rows(a, b, max, &mut rows[..3 * width])
    } else {
        let mut rows = vec![0usize; 3 * width];
        distance_rows(a, b, max, &mut rows)
    }
}

/// The dynamic programme behind [`within_distance`], on three rotating rows in `rows`.
fn distance_rows<T: PartialEq>(a: &[T], b: &[T], max: usize, rows: &mut [usize]) -> bool {
    let width = b.len() + 1;
    for (j, cell) in rows.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let cur = (i % 3) * width;
        let prev = ((i - 1) % 3) * width;
        let prev2 = ((i + 1) % 3) * width;
        rows[cur] = i;
        let mut row_min = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (rows[prev + j] + 1)
                .min(rows[cur + j - 1] + 1)
                .min(rows[prev + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(rows[prev2 + j - 2] + 1);
            }
            rows[cur + j] = value;
            row_min = row_min.min(value);
        }
        if row_min > max {
            return false;
        }
    }
    rows[(a.len() % 3) * width + width - 1] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits_and_transpositions() {
        let d = |a: &str, b: &str, max| within_distance(a.as_bytes(), b.as_bytes(), max);
        assert!(d("kitten", "kitten", 0));
        assert!(!d("kitten", "sitten", 0));
        assert!(d("kitten", "sitten", 1));
        assert!(d("kitten", "sittin", 2));
        assert!(!d("kitten", "sitting", 2));
        assert!(d("form", "from", 1), "a transposition is one edit");
        assert!(d("", "ab", 2));
        assert!(!d("", "abc", 2));
        let long = "a".repeat(100);
        assert!(
            d(&long, &format!("{long}b"), 1),
            "long words use the heap rows"
        );
    }
}
