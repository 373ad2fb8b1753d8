#pragma once
// The fault injection registry (io/faults.hpp) for actors and providers:
// the points and how they are armed are documented there.
#include "io/faults.hpp"

namespace stmfd::faults {

// How long lu_io_stall holds a step (and io_file stalls an I/O) when armed
// with the default spec (spec::ms).
constexpr uint32_t stall_ms = default_ms;

}  // namespace stmfd::faults
