#pragma once
// Durable, atomic replacement of the config file (issue 6 section 2): after
// a crash at any moment the path holds either the old content or the new,
// complete, never a mix or nothing.
//
// Steps (each a crash point, `step` below):
//   1. write the text to "<dir>/.<name>.tmp.<pid>" (created 0600; mode of
//      the old file copied when it exists)
//   2. fsync the temp file (its data is on stable storage)
//   3. rename(2) it over the path (atomic within one file system)
//   4. fsync the directory (the rename itself is on stable storage)
// A failure before 3 removes the temp file and leaves the path untouched.
// Stale temp files of earlier crashes are never read: the loader reads
// only the path.
#include <functional>
#include <string>
#include <string_view>

namespace stmfd::admin {

enum class write_step { temp_written, temp_synced, renamed, dir_synced };

// Called after each step; tests use it to crash (fork + _exit) between
// steps. Null: nothing is called.
using step_hook = std::function<void(write_step)>;

// Empty on success; otherwise one sentence naming the path and the errno
// text ("cannot write /etc/stmfd/stmfd.json: No space left on device").
std::string write_file_atomically(const std::string& path, std::string_view text, const step_hook& hook = {});

}  // namespace stmfd::admin
