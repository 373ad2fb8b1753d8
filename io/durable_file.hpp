#pragma once
// Making a new file durable, not only its data. POSIX fsync(2) on a file
// does not make its directory entry durable: after a power cut a file that
// was created (or renamed into place) and synced can still be missing until
// the directory that names it has been synced too. Every path that creates
// a file the daemon relies on (a backing file, a tape medium, a cartridge,
// a state file) syncs the file, then its parent directory, before it
// reports success (docs/durability.md, "Creation").
//
// Errors are -errno (0: done), like the rest of io/.
#include <functional>
#include <string>

namespace stmfd::io::durable {

// fsync(2) of an open file.
int sync_file(int fd);

// fsync(2) of the directory that holds `path` (its name: the file need not
// be open). "name" alone means the current directory.
int sync_parent(const std::string& path);

// Creates the missing directories of `dir` (mkdir -p) and syncs the parent
// of each one it created, so a file created inside survives a power cut
// with its whole path.
int create_directories(const std::string& dir);

// Test seam: when set, every fsync above goes to `hook` instead of
// fsync(2) (a unit test records which file or directory was synced, read
// from /proc/self/fd, and may fail it). Not thread-safe: tests only.
using sync_hook = std::function<int(int fd)>;
void set_sync_hook_for_test(sync_hook hook);

}  // namespace stmfd::io::durable
