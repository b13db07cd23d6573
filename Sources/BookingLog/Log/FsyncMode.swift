/// When the log forces records to stable storage, and so what `waitUntilDurable` promises
/// (the `--fsync` flag; its raw values are the flag's values).
public enum FsyncMode: String, Sendable, CaseIterable {
    /// A waiter resumes only after an `fdatasync` covering its record returned: a crash or power
    /// loss right after never loses it. One `fdatasync` covers every record written with it.
    case always
    /// A waiter resumes once its record is written (in the OS page cache, surviving a crash of
    /// the process); the writer calls `fdatasync` at least once per `syncInterval`, so a power
    /// loss loses at most about that much.
    case everySecond = "everysec"
    /// A waiter resumes once its record is written; the OS decides when it reaches the disk.
    /// Segment rolls and `flush`/`close` still sync.
    case off
}
