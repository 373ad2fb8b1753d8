#pragma once
// The statistics (actors/stmf/stmf_stats.hpp) in the Prometheus text
// exposition format, version 0.0.4: what GET /metrics answers
// (metrics_server.hpp). Pure: no I/O, unit-tested.
//
// Families (each with HELP and TYPE lines; labels lu, target, initiator):
//   stmfd_{lu,target,session}_commands_total        counter
//   stmfd_{lu,target,session}_read_bytes_total      counter (GOOD Data-In)
//   stmfd_{lu,target,session}_written_bytes_total   counter (GOOD Data-Out)
//   stmfd_{lu,target,session}_errors_total          counter (CHECK CONDITION)
//   stmfd_{lu,target,session}_latency_seconds       histogram: cumulative
//       buckets with le in seconds (1e-06 .. 4.194304, +Inf), _sum, _count
// A session's labels are its target and initiator port name; a target's
// its name. Label values are escaped as the format requires (\\, \", \n).
#include <string>

#include "actors/stmf/stmf_stats.hpp"

namespace stmfd::admin {

std::string render_metrics(const stats_list& entries);

}  // namespace stmfd::admin
