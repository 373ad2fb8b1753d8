// The Prometheus text rendering of the statistics (actors/admin/metrics_text.hpp).
#include <catch2/catch.hpp>

#include "actors/admin/metrics_text.hpp"

using namespace stmfd;

namespace {

stats_entry entry(stats_entry::kind k, std::string name, std::string initiator = {}) {
  stats_entry e;
  e.what = k;
  e.name = std::move(name);
  e.initiator = std::move(initiator);
  return e;
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

}  // namespace

TEST_CASE("metrics_counters_and_histogram_per_lu", "[metrics]") {
  io_counters c;
  c.record(0x00, 4096, 0, 1500);   // <= 2 us
  c.record(0x00, 0, 512, 3000);    // <= 4 us
  c.record(0x02, 0, 0, 10000000);  // 10 ms: <= 16384 us
  auto lu = entry(stats_entry::kind::lu, "disk0");
  lu.counters = c.snapshot();
  auto text = admin::render_metrics({lu});
  CHECK(has_line(text, "# TYPE stmfd_lu_commands_total counter"));
  CHECK(has_line(text, "stmfd_lu_commands_total{lu=\"disk0\"} 3"));
  CHECK(has_line(text, "stmfd_lu_read_bytes_total{lu=\"disk0\"} 4096"));
  CHECK(has_line(text, "stmfd_lu_written_bytes_total{lu=\"disk0\"} 512"));
  CHECK(has_line(text, "stmfd_lu_errors_total{lu=\"disk0\"} 1"));
  CHECK(has_line(text, "# TYPE stmfd_lu_latency_seconds histogram"));
  CHECK(has_line(text, "stmfd_lu_latency_seconds_bucket{lu=\"disk0\",le=\"1e-06\"} 0"));
  CHECK(has_line(text, "stmfd_lu_latency_seconds_bucket{lu=\"disk0\",le=\"2e-06\"} 1"));  // cumulative
  CHECK(has_line(text, "stmfd_lu_latency_seconds_bucket{lu=\"disk0\",le=\"4e-06\"} 2"));
  CHECK(has_line(text, "stmfd_lu_latency_seconds_bucket{lu=\"disk0\",le=\"0.008192\"} 2"));
  CHECK(has_line(text, "stmfd_lu_latency_seconds_bucket{lu=\"disk0\",le=\"0.016384\"} 3"));
  CHECK(has_line(text, "stmfd_lu_latency_seconds_bucket{lu=\"disk0\",le=\"+Inf\"} 3"));
  CHECK(has_line(text, "stmfd_lu_latency_seconds_count{lu=\"disk0\"} 3"));
  CHECK(has_line(text, "stmfd_lu_latency_seconds_sum{lu=\"disk0\"} 0.0100045"));
  // No target or session entries: no such families.
  CHECK(text.find("stmfd_target_") == std::string::npos);
  CHECK(text.find("stmfd_session_") == std::string::npos);
}

TEST_CASE("metrics_families_are_contiguous_with_target_and_session_labels", "[metrics]") {
  auto t1 = entry(stats_entry::kind::target_port, "iqn.2026-11.t:a");
  auto t2 = entry(stats_entry::kind::target_port, "iqn.2026-11.t:b");
  auto s = entry(stats_entry::kind::session, "iqn.2026-11.t:a", "iqn.1994-05.com.x:h,i,0x000000000001");
  t1.counters.commands = 5;
  t2.counters.commands = 7;
  s.counters.commands = 5;
  auto text = admin::render_metrics({t1, t2, s});
  auto a = text.find("stmfd_target_commands_total{target=\"iqn.2026-11.t:a\"} 5\n");
  auto b = text.find("stmfd_target_commands_total{target=\"iqn.2026-11.t:b\"} 7\n");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  CHECK(b > a);
  CHECK(text.find("# TYPE stmfd_target_read_bytes_total") > b);  // one family's samples together
  CHECK(has_line(text,
                 "stmfd_session_commands_total{target=\"iqn.2026-11.t:a\",initiator=\"iqn.1994-05.com.x:h,i,"
                 "0x000000000001\"} 5"));
}

TEST_CASE("metrics_label_values_are_escaped", "[metrics]") {
  auto lu = entry(stats_entry::kind::lu, "a\"b\\c\nd");
  auto text = admin::render_metrics({lu});
  CHECK(has_line(text, "stmfd_lu_commands_total{lu=\"a\\\"b\\\\c\\nd\"} 0"));
}
