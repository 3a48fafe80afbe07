//! Faults, injected into the real binary: kill -9 at random moments, a full disk, two writers at
//! once, an index from another schema. The index must always open at its last commit, and nothing
//! may be lost or counted twice once a run completes.

#![cfg(target_os = "linux")]

mod util;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{command, newsdex, newsdex_ok, pipe_pending, small_pipe, Lcg};

/// A word every generated article holds, so one search lists them all.
const COMMON: &str = "zqcommon";

/// Writes `files` text articles named `prefix-NNNN.txt`, each with [`COMMON`] and a unique word.
fn generate(dir: &Path, prefix: &str, files: usize, body_words: usize) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut words = Lcg(files as u64);
    for i in 0..files {
        let mut body = String::new();
        for _ in 0..body_words {
            // Pseudo-random words so the index grows with the corpus (for the disk-full test).
            let w = words.below(1 << 40);
            body.push_str(&format!("w{w:x} "));
        }
        let text = format!(
            "{prefix} article {i} {COMMON}\n\nBody of {prefix}{i} about the harbour. {body}\n"
        );
        std::fs::write(dir.join(format!("{prefix}-{i:04}.txt")), text).expect("write");
    }
}

/// What a search for [`COMMON`] lists: the ids, asserted unique; `None` when the search fails.
fn committed_ids(index: &Path) -> Result<BTreeSet<String>, String> {
    let run = newsdex(
        index,
        &[
            "search",
            COMMON,
            "--format",
            "jsonl",
            "--limit",
            "100000",
            "--no-collapse",
            "--passages",
            "0",
        ],
    );
    if run.code != 0 && run.code != 1 {
        return Err(format!("search exit {}: {}", run.code, run.stderr));
    }
    let mut ids = BTreeSet::new();
    for line in run.json_lines() {
        if line.get("summary").is_some() {
            continue;
        }
        let id = line["id"].as_str().expect("id").to_string();
        if !ids.insert(id.clone()) {
            return Err(format!("duplicate id {id}"));
        }
    }
    if (run.code == 1) != ids.is_empty() {
        return Err(format!("exit {} with {} hits", run.code, ids.len()));
    }
    Ok(ids)
}

fn stats_articles(index: &Path) -> u64 {
    let stats = newsdex_ok(index, &["stats", "--format", "json"]).json();
    stats["articles"].as_u64().expect("articles")
}

/// A temp dir in memory (`/dev/shm`) when there is one. tantivy syncs every commit to disk, and
/// a few hundred commits on a slow CI disk cost minutes; a killed process does not care whether
/// its files were synced, only a lost machine would.
fn scratch_dir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().expect("tmp")
}

fn index_args(corpus: &Path) -> Vec<String> {
    vec![
        "index".into(),
        corpus.display().to_string(),
        "--no-entities".into(),
        "--threads".into(),
        "2".into(),
        "--commit-every".into(),
        "10".into(),
        "--quiet".into(),
        "--format".into(),
        "json".into(),
    ]
}

/// Kills at seeded random moments; after each kill the index opens at a consistent commit and
/// a re-run completes with every article exactly once.
#[test]
fn kill_9_at_random_moments_loses_nothing() {
    const FILES: usize = 300;
    const RUNS: u64 = 20;
    let tmp = scratch_dir();
    let corpus = tmp.path().join("corpus");
    generate(&corpus, "kill", FILES, 30);
    let args = index_args(&corpus);

    // Two reference runs, the faster one setting the range of kill moments (the first is slower
    // while caches warm up, and kills after the end prove nothing).
    let mut full_run = Duration::MAX;
    let mut report = Value::Null;
    for reference in ["reference-1", "reference-2"] {
        let started = Instant::now();
        let index = tmp.path().join(reference);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        report = newsdex_ok(&index, &args).json();
        full_run = full_run.min(started.elapsed());
    }
    assert_eq!(report["total_articles"], FILES as u64, "{report:#}");
    let commits = report["commits"].as_u64().expect("commits");
    // One-article files with `--commit-every 10`: a commit point after every tenth file, however
    // the two parsing threads interleave (each file reaches the writer as one message).
    assert!(
        commits > FILES as u64 / 10,
        "commits must happen mid-run: {report:#}"
    );

    let mut rng = Lcg(0x5eed_2026);
    let mut at_kill = Vec::new();
    for run in 0..RUNS {
        let index = tmp.path().join(format!("ix{run}"));
        let mut child = command(&index, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // Anywhere from before the index folder exists to the end of the run.
        let delay = rng.below(full_run.as_millis() as u64 + 1);
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().expect("kill -9");
        child.wait().expect("wait");

        // No `meta.json` means the kill came before the indexer created the index: the folder
        // may not exist yet, or hold only the writer's lock file (taken first). There is no
        // index to open; the re-run below must still complete.
        let created = index.join("meta.json").is_file();
        let committed = if created {
            let ids = committed_ids(&index)
                .unwrap_or_else(|e| panic!("run {run}, killed after {delay} ms: {e}"));
            assert_eq!(
                stats_articles(&index),
                ids.len() as u64,
                "run {run}: stats and search disagree"
            );
            assert!(ids.len() <= FILES, "run {run}: {} articles", ids.len());
            Some(ids)
        } else {
            None
        };
        at_kill.push((delay, committed.as_ref().map(BTreeSet::len)));

        let rerun = newsdex_ok(&index, &args.iter().map(String::as_str).collect::<Vec<_>>()).json();
        assert_eq!(
            rerun["total_articles"], FILES as u64,
            "run {run}: {rerun:#}"
        );
        let ids = committed_ids(&index).unwrap_or_else(|e| panic!("run {run}, re-run: {e}"));
        assert_eq!(ids.len(), FILES, "run {run}: after the re-run");
        if let Some(before) = committed {
            assert!(
                before.is_subset(&ids),
                "run {run}: articles that are not in the corpus"
            );
        }
    }
    eprintln!(
        "kill -9: full run {} ms, {commits} commits; (kill after ms, articles committed): {at_kill:?}",
        full_run.as_millis()
    );
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        std::fs::create_dir_all(dir).expect("mkdir");
        let target = CString::new(dir.as_os_str().as_bytes()).expect("path");
        let options = CString::new(format!("size={size}")).expect("options");
        // SAFETY: valid NUL-terminated strings; failure (no CAP_SYS_ADMIN) is reported by rc.
        let rc = unsafe {
            libc::mount(
                c"tmpfs".as_ptr(),
                target.as_ptr(),
                c"tmpfs".as_ptr(),
                0,
                options.as_ptr().cast(),
            )
        };
        (rc == 0).then(|| Mount(dir.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        use std::os::unix::ffi::OsStrExt;
        if let Ok(target) = std::ffi::CString::new(self.0.as_os_str().as_bytes()) {
            // SAFETY: a valid path we mounted; lazy unmount so open files cannot keep it busy.
            unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
        }
    }
}

/// Indexes `small`, then `big` where space runs out: the second run fails with one clear line
/// and exit 2, and the first run's commit is still there. `limit` sets RLIMIT_FSIZE on the second
/// run instead of relying on the filesystem's size.
fn assert_disk_full_keeps_last_commit(work: &Path, index: &Path, limit: Option<u64>) {
    const SMALL: usize = 20;
    let small = work.join("small");
    let big = work.join("big");
    generate(&small, "early", SMALL, 20);
    generate(&big, "late", 400, 400);
    let args = index_args(&small);
    newsdex_ok(index, &args.iter().map(String::as_str).collect::<Vec<_>>());

    let mut args = index_args(&big);
    args.push(small.display().to_string());
    let mut cmd = command(index, &args);
    if let Some(bytes) = limit {
        limit_file_size(&mut cmd, bytes);
    }
    let output = cmd.output().expect("run");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line:\n{stderr}");
    assert!(
        lines[0].contains("disk full") && lines[0].contains(&*index.to_string_lossy()),
        "{stderr}"
    );
    eprintln!("disk full reported as: {}", lines[0]);

    let ids = committed_ids(index).expect("index opens after a full disk");
    assert!(
        ids.len() >= SMALL,
        "the first run's {SMALL} articles: {}",
        ids.len()
    );
    let early = newsdex(index, &["search", "early", "--count"]);
    assert_eq!(early.stdout.trim(), SMALL.to_string(), "{}", early.stderr);
}

/// A real full filesystem: a 2 MiB tmpfs, when the test may mount one (root with
/// CAP_SYS_ADMIN); elsewhere it says so and the RLIMIT_FSIZE test below stands in for it.
#[test]
fn disk_full_on_a_small_filesystem_keeps_the_last_commit() {
    let tmp = tempfile::tempdir().expect("tmp");
    let Some(mount) = Mount::tmpfs(&tmp.path().join("disk"), "2m") else {
        eprintln!(
            "disk full: cannot mount a tmpfs here ({}); only the RLIMIT_FSIZE simulation ran",
            std::io::Error::last_os_error()
        );
        return;
    };
    eprintln!("disk full: indexing into a 2 MiB tmpfs");
    assert_disk_full_keeps_last_commit(tmp.path(), &mount.0.join("ix"), None);
}

/// A full disk simulated with RLIMIT_FSIZE (256 KiB per file): writes fail with EFBIG, which
/// must read as the same disk-full error.
#[test]
fn file_size_limit_reads_as_disk_full_and_keeps_the_last_commit() {
    let tmp = tempfile::tempdir().expect("tmp");
    eprintln!("disk full: simulated with RLIMIT_FSIZE of 256 KiB");
    assert_disk_full_keeps_last_commit(tmp.path(), &tmp.path().join("ix"), Some(256 << 10));
}

/// Lets the child write no file larger than `bytes`: writes past it fail with EFBIG instead of
/// the default SIGXFSZ, which would kill it.
fn limit_file_size(cmd: &mut std::process::Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Names long enough that a few dozen "skipped (empty)" warnings overflow a 4 KiB pipe.
fn add_padding(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for i in 0..count {
        let name = format!("{i:03}-{}.txt", "padding".repeat(20));
        std::fs::write(dir.join(name), "").expect("write");
    }
}

/// The second writer stops at once, naming the first; searches during the first run see its
/// commits and never fail.
#[test]
fn second_writer_stops_and_searches_see_the_last_commit() {
    const BASE: usize = 30;
    const MORE: usize = 200;
    let tmp = scratch_dir();
    let corpus = tmp.path().join("corpus");
    generate(&corpus.join("a-base"), "base", BASE, 20);
    let index = tmp.path().join("ix");
    let mut args = index_args(&corpus);
    newsdex_ok(&index, &args.iter().map(String::as_str).collect::<Vec<_>>());
    generate(&corpus.join("c-more"), "more", MORE, 20);
    add_padding(&corpus.join("b-padding"), 40);

    // The first writer prints a warning for each padding file; with nobody reading its 4 KiB
    // stderr pipe it blocks there, holding the lock, until the test drains the pipe. One
    // parsing thread, so files arrive in walk order and no "more" article can be committed
    // before the block (with two, rayon starts the second half of the files at once, and a
    // commit of ten of them could land first).
    args.retain(|a| a != "--quiet");
    if let Some(threads) = args.iter().position(|a| a == "--threads") {
        args[threads + 1] = "1".into();
    }
    let (mut stderr, stderr_writer) = small_pipe();
    let mut first = command(&index, &args)
        .stdout(Stdio::null())
        .stderr(stderr_writer)
        .spawn()
        .expect("spawn");
    while pipe_pending(&stderr) < 3000 {
        assert!(
            first.try_wait().expect("try_wait").is_none(),
            "first writer ended early"
        );
        std::thread::sleep(Duration::from_millis(5));
    }

    let second = newsdex(&index, &args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(second.code, 2, "{}", second.stderr);
    let expected = format!(
        "index is being written by another process (pid {})",
        first.id()
    );
    assert!(second.stderr.contains(&expected), "{}", second.stderr);
    assert_eq!(second.stderr.lines().count(), 1, "{}", second.stderr);

    let while_blocked = committed_ids(&index).expect("search during indexing");
    assert_eq!(
        while_blocked.len(),
        BASE,
        "only the base commit is visible yet"
    );

    let drained = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut seen = Vec::new();
    loop {
        let done = first.try_wait().expect("try_wait").is_some();
        let ids = committed_ids(&index).unwrap_or_else(|e| panic!("search during indexing: {e}"));
        assert!(
            ids.len() >= BASE && ids.len() <= BASE + MORE,
            "{}",
            ids.len()
        );
        if let Some(&last) = seen.last() {
            assert!(
                ids.len() >= last,
                "a search went back in time: {seen:?}, {}",
                ids.len()
            );
        }
        seen.push(ids.len());
        if done {
            break;
        }
    }
    drained.join().expect("stderr");
    assert_eq!(seen.last(), Some(&(BASE + MORE)), "{seen:?}");
    eprintln!("article counts seen by searches during indexing: {seen:?}");
}

/// Rewrites the index's `meta.json` through `change`.
fn edit_meta(index: &Path, change: impl FnOnce(&mut Value)) {
    let path = index.join("meta.json");
    let mut meta: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("meta")).expect("json");
    change(&mut meta);
    std::fs::write(&path, meta.to_string()).expect("write meta");
}

fn assert_incompatible(index: &Path, why: &str) {
    for args in [
        vec!["search", COMMON],
        vec!["stats"],
        vec!["index", "/nonexistent-is-not-reached"],
    ] {
        let run = newsdex(index, &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("incompatible index")
                && run.stderr.contains(why)
                && run.stderr.contains("--rebuild"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

/// An index from a newer schema, or whose fields differ, is refused with how to rebuild it;
/// `--rebuild` does.
#[test]
fn incompatible_index_says_how_to_rebuild() {
    let tmp = tempfile::tempdir().expect("tmp");
    let corpus = tmp.path().join("corpus");
    generate(&corpus, "schema", 5, 5);
    let args = index_args(&corpus);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    let newer = tmp.path().join("newer");
    newsdex_ok(&newer, &args);
    edit_meta(&newer, |meta| {
        let payload = meta["payload"].as_str().expect("payload");
        let mut info: Value = serde_json::from_str(payload).expect("payload json");
        info["schema_version"] = 999.into();
        meta["payload"] = info.to_string().into();
    });
    assert_incompatible(&newer, "schema version 999");

    let other = tmp.path().join("other");
    newsdex_ok(&other, &args);
    edit_meta(&other, |meta| {
        let fields = meta["schema"].as_array_mut().expect("schema");
        fields.pop();
    });
    assert_incompatible(&other, "fields differ");

    let mut rebuild = args.clone();
    rebuild.push("--rebuild");
    let report = newsdex_ok(&other, &rebuild).json();
    assert_eq!(report["total_articles"], 5, "{report:#}");
}

/// A folder holding only the lock file, as a writer killed before it created the index leaves
/// it, is an index with nothing committed: searches find nothing (exit 1), stats count 0.
#[test]
fn folder_left_before_the_first_commit_opens_empty() {
    let tmp = tempfile::tempdir().expect("tmp");
    let index = tmp.path().join("ix");
    std::fs::create_dir_all(&index).expect("mkdir");
    std::fs::write(index.join("newsdex.lock"), "12345").expect("lock");
    let run = newsdex(&index, &["search", COMMON]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(stats_articles(&index), 0);
}
