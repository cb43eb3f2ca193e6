#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns a read past the end of a mapped file that shrank (a download still being written, a
/// file truncated or rewritten in place) from a SIGBUS that kills the process into a flag that
/// the reader checks.
///
/// Live mappings are kept in a table allocated once. The SIGBUS handler looks the faulting
/// address up there; inside a mapping, it maps anonymous zero pages over the rest of it
/// (`MAP_FIXED`), marks the mapping as changed and returns, so the interrupted computation
/// finishes on zeros and the next check throws. A fault anywhere else goes to the disposition
/// that was in place before (the runtime's crash report, or the default: the process dies).
///
/// The handler only reads the table and calls `mmap` and `sigaction` (system calls; `mmap` is
/// not on POSIX's list of async-signal-safe functions but is a plain system call on Linux and
/// Darwin): no lock, no allocation, no Swift runtime call.
enum MappingGuard {
    struct Slot {
        /// First byte and one past the last page of the mapping; `start == 0` for a free slot.
        var start: UInt
        var end: UInt
        var faulted: Int32
    }

    struct Identity {
        var path: String
        var fd: Int32
        var size: Int
        var modified: timespec
    }

    static let capacity = 1024
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<Slot> = {
        let table = UnsafeMutablePointer<Slot>.allocate(capacity: capacity)
        table.initialize(repeating: Slot(start: 0, end: 0, faulted: 0), count: capacity)
        return table
    }()
    nonisolated(unsafe) static var identities: [Int: Identity] = [:]
    /// Files found changed when their mapping was released: a stage may let go of its input
    /// before the result is written or printed, and the change must still stop it.
    nonisolated(unsafe) static var releasedChanged: [String] = []
    nonisolated(unsafe) static var lock = pthread_mutex_t()
    nonisolated(unsafe) static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
    nonisolated(unsafe) static var pageSize: UInt = 4096

    private static let installOnce: Void = {
        pthread_mutex_init(&lock, nil)
        pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
        _ = slots
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO
        #if canImport(Darwin)
        action.__sigaction_u.__sa_sigaction = handleBusError
        #else
        action.__sigaction_handler.sa_sigaction = handleBusError
        #endif
        sigaction(SIGBUS, &action, previous)
    }()

    /// Registers a mapping; nil when the table is full (the mapping then is not guarded).
    static func register(base: UnsafeRawPointer, count: Int, path: String, fd: Int32, info: stat) -> Int? {
        _ = installOnce
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        guard let free = (0..<capacity).first(where: { slots[$0].start == 0 }) else { return nil }
        let start = UInt(bitPattern: base)
        let end = (start + UInt(count) + pageSize - 1) / pageSize * pageSize
        slots[free].faulted = 0
        slots[free].end = end
        slots[free].start = start
        identities[free] = Identity(path: path, fd: fd, size: Int(info.st_size), modified: modificationTime(info))
        return free
    }

    static func unregister(_ slot: Int) {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        if changed(slot), let path = identities[slot]?.path { releasedChanged.append(path) }
        slots[slot].start = 0
        if let identity = identities.removeValue(forKey: slot) { close(identity.fd) }
    }

    static func hasChanged(_ slot: Int) -> Bool {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return changed(slot)
    }

    static func firstChanged() -> String? {
        pthread_mutex_lock(&lock); defer { pthread_mutex_unlock(&lock) }
        return releasedChanged.first ?? identities.keys.sorted().first(where: changed).flatMap { identities[$0]?.path }
    }

    /// Call with the lock held.
    private static func changed(_ slot: Int) -> Bool {
        if slots[slot].faulted != 0 { return true }
        guard let identity = identities[slot] else { return false }
        var info = stat()
        guard fstat(identity.fd, &info) == 0 else { return true }
        let modified = modificationTime(info)
        return Int(info.st_size) != identity.size || modified.tv_sec != identity.modified.tv_sec
            || modified.tv_nsec != identity.modified.tv_nsec
    }

    private static func modificationTime(_ info: stat) -> timespec {
        #if canImport(Darwin)
        return info.st_mtimespec
        #else
        return info.st_mtim
        #endif
    }
}

private func handleBusError(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    #if canImport(Darwin)
    let address = UInt(bitPattern: info?.pointee.si_addr)
    #else
    let address = UInt(bitPattern: info?.pointee._sifields._sigfault.si_addr)
    #endif
    let slots = MappingGuard.slots
    var s = 0
    while s < MappingGuard.capacity {
        let start = slots[s].start
        if start != 0, address >= start, address < slots[s].end {
            let page = address / MappingGuard.pageSize * MappingGuard.pageSize
            #if canImport(Darwin)
            let anonymous = MAP_ANON
            #else
            let anonymous = MAP_ANONYMOUS
            #endif
            let zeros = mmap(UnsafeMutableRawPointer(bitPattern: page), Int(slots[s].end - page), PROT_READ,
                             MAP_PRIVATE | anonymous | MAP_FIXED, -1, 0)
            if zeros != MAP_FAILED {
                slots[s].faulted = 1
                return
            }
            break
        }
        s += 1
    }
    // Not a guarded mapping: return to the fault under the previous disposition.
    sigaction(SIGBUS, MappingGuard.previous, nil)
}
