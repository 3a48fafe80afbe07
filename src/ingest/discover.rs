//! Discovery: walks the roots given on the command line and lists the files to read.
//!
//! Hidden files, the index folder itself, `--exclude` globs and `.newsdexignore` rules (gitignore
//! syntax, in a root folder) are skipped. Symlinks are followed only with `--follow-links`, and
//! walkdir's loop detection turns a symlink loop into a reported problem, never a hang.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use walkdir::WalkDir;

use crate::error::{Error, Result};

/// The name of the per-corpus ignore file.
pub const IGNORE_FILE: &str = ".newsdexignore";

/// How to walk.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Glob patterns (relative to a root) to skip.
    pub excludes: Vec<String>,
    /// Follow symbolic links.
    pub follow_links: bool,
    /// A folder never to enter (the index being written).
    pub skip_dir: Option<PathBuf>,
}

/// A root given on the command line, made canonical.
#[derive(Debug, Clone)]
pub struct Root {
    /// The folder ids are relative to: the root itself, or a single file's folder.
    pub dir: PathBuf,
    /// Set when the root is a single file: then only that file is in scope.
    pub single_file: Option<PathBuf>,
}

impl Root {
    /// True when `path` (canonical) lies in this root's scope, i.e. a file this run would have seen.
    pub fn covers(&self, path: &str) -> bool {
        match &self.single_file {
            Some(file) => Path::new(path) == file,
            None => Path::new(path).starts_with(&self.dir),
        }
    }
}

/// A file to read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Canonical absolute path.
    pub path: PathBuf,
    /// The root's folder (ids are relative to it).
    pub root: PathBuf,
    /// Path relative to `root`, `/`-separated.
    pub rel: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch (0 when unknown).
    pub mtime_ns: i128,
}

/// Something found while walking that cannot be read.
#[derive(Debug, Clone)]
pub struct WalkProblem {
    /// The path, as far as it is known.
    pub path: String,
    /// Why it is skipped (`unreadable`, `symlink-loop`, `symlink`).
    pub reason: &'static str,
    /// Details.
    pub detail: String,
}

/// Everything discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Canonical roots, in command-line order.
    pub roots: Vec<Root>,
    /// Files to read, in walk order.
    pub files: Vec<SourceFile>,
    /// Entries that could not be walked.
    pub problems: Vec<WalkProblem>,
}

/// Walks every root. A root that does not exist is an error; everything below it is best effort.
pub fn discover(roots: &[PathBuf], options: &DiscoverOptions) -> Result<Discovered> {
    let excludes = build_excludes(&options.excludes)?;
    let skip_dir = options
        .skip_dir
        .as_ref()
        .and_then(|d| d.canonicalize().ok());
    let mut found = Discovered::default();
    for arg in roots {
        let canonical = arg.canonicalize().map_err(|e| Error::io(arg, e))?;
        if canonical.is_file() {
            let dir = canonical.parent().unwrap_or(Path::new("/")).to_path_buf();
            found.roots.push(Root {
                dir: dir.clone(),
                single_file: Some(canonical.clone()),
            });
            if let Some(file) = source_file(&canonical, &dir) {
                found.files.push(file);
            }
            continue;
        }
        found.roots.push(Root {
            dir: canonical.clone(),
            single_file: None,
        });
        let ignore = load_ignore_file(&canonical, &mut found.problems);
        walk_dir(
            &canonical,
            options,
            &excludes,
            &ignore,
            skip_dir.as_deref(),
            &mut found,
        );
    }
    Ok(found)
}

fn walk_dir(
    root: &Path,
    options: &DiscoverOptions,
    excludes: &GlobSet,
    ignore: &Gitignore,
    skip_dir: Option<&Path>,
    found: &mut Discovered,
) {
    let walker = WalkDir::new(root)
        .follow_links(options.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let is_dir = entry.file_type().is_dir();
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let is_index = skip_dir.is_some_and(|d| entry.path() == d);
            !hidden
                && !is_index
                && !excludes.is_match(rel)
                && !ignore
                    .matched_path_or_any_parents(entry.path(), is_dir)
                    .is_ignore()
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| root.display().to_string());
                let reason = if err.loop_ancestor().is_some() {
                    "symlink-loop"
                } else {
                    "unreadable"
                };
                found.problems.push(WalkProblem {
                    path,
                    reason,
                    detail: err.to_string(),
                });
                continue;
            }
        };
        if entry.file_type().is_symlink() {
            found.problems.push(WalkProblem {
                path: entry.path().display().to_string(),
                reason: "symlink",
                detail: "symbolic link not followed (use --follow-links)".into(),
            });
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let path = if options.follow_links {
            entry
                .path()
                .canonicalize()
                .unwrap_or_else(|_| entry.path().to_path_buf())
        } else {
            entry.path().to_path_buf()
        };
        match source_file(&path, root) {
            Some(file) => found.files.push(file),
            None => found.problems.push(WalkProblem {
                path: path.display().to_string(),
                reason: "unreadable",
                detail: "file vanished or metadata unreadable".into(),
            }),
        }
    }
}

fn source_file(path: &Path, root: &Path) -> Option<SourceFile> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0);
    let rel = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/");
    Some(SourceFile {
        path: path.to_path_buf(),
        root: root.to_path_buf(),
        rel,
        size: meta.len(),
        mtime_ns,
    })
}

fn build_excludes(patterns: &[String]) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern)
            .map_err(|e| Error::Usage(format!("--exclude {pattern:?}: invalid glob: {e}")))?;
        builder.add(glob);
        // `drafts/**` should also skip the folder `drafts` itself without entering it.
        if let Some(dir) = pattern.strip_suffix("/**") {
            if let Ok(glob) = Glob::new(dir) {
                builder.add(glob);
            }
        }
    }
    builder
        .build()
        .map_err(|e| Error::Usage(format!("--exclude: {e}")))
}

fn load_ignore_file(root: &Path, problems: &mut Vec<WalkProblem>) -> Gitignore {
    let mut builder = GitignoreBuilder::new(root);
    let file = root.join(IGNORE_FILE);
    if file.is_file() {
        if let Some(err) = builder.add(&file) {
            problems.push(WalkProblem {
                path: file.display().to_string(),
                reason: "unreadable",
                detail: format!("ignore rules partly unusable: {err}"),
            });
        }
    }
    builder.build().unwrap_or_else(|_| Gitignore::empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, "x").expect("write");
    }

    fn rels(found: &Discovered) -> Vec<String> {
        found.files.iter().map(|f| f.rel.clone()).collect()
    }

    #[test]
    fn skips_hidden_excluded_ignored_and_index_dir() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for rel in [
            "a.txt",
            ".hidden.txt",
            "drafts/b.txt",
            "keep/c.md",
            "idx/meta.json",
            "README.md",
        ] {
            touch(&root.join(rel));
        }
        std::fs::write(root.join(IGNORE_FILE), "README.md\n").expect("write");
        let options = DiscoverOptions {
            excludes: vec!["drafts/**".into()],
            follow_links: false,
            skip_dir: Some(root.join("idx")),
        };
        let found = discover(&[root.to_path_buf()], &options).expect("discover");
        assert_eq!(rels(&found), ["a.txt", "keep/c.md"]);
    }

    #[test]
    fn single_file_root_is_its_folder_and_covers_only_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("one.txt");
        touch(&file);
        touch(&dir.path().join("two.txt"));
        let found =
            discover(std::slice::from_ref(&file), &DiscoverOptions::default()).expect("discover");
        assert_eq!(rels(&found), ["one.txt"]);
        let root = &found.roots[0];
        let canonical = file.canonicalize().expect("canonical");
        assert!(root.covers(&canonical.to_string_lossy()));
        let other = canonical.with_file_name("two.txt");
        assert!(!root.covers(&other.to_string_lossy()));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_reported_not_followed_forever() {
        let dir = tempfile::tempdir().expect("tempdir");
        touch(&dir.path().join("sub/a.txt"));
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).expect("symlink");
        let options = DiscoverOptions {
            follow_links: true,
            ..Default::default()
        };
        let found = discover(&[dir.path().to_path_buf()], &options).expect("discover");
        assert_eq!(rels(&found), ["sub/a.txt"]);
        assert!(found.problems.iter().any(|p| p.reason == "symlink-loop"));
        let plain = discover(&[dir.path().to_path_buf()], &DiscoverOptions::default()).expect("d");
        assert!(plain.problems.iter().any(|p| p.reason == "symlink"));
    }

    #[test]
    fn missing_root_is_an_error() {
        let err = discover(
            &[PathBuf::from("/no/such/corpus")],
            &DiscoverOptions::default(),
        );
        assert!(err.is_err());
    }
}
