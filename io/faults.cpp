#include "io/faults.hpp"

#include <mutex>

namespace stmfd::faults {

namespace detail {
std::array<std::atomic<bool>, size_t(point::count_)> armed{};
}  // namespace detail

namespace {

constexpr uint32_t bit(action a) { return 1u << unsigned(a); }

struct point_info {
  std::string_view name;
  uint32_t allowed;  // the first set bit is the default action
};

constexpr std::array<point_info, size_t(point::count_)> infos = {{
    {"task_start", bit(action::crash)},
    {"lu_execute", bit(action::crash) | bit(action::delay)},
    {"lu_io_done", bit(action::crash)},
    {"session_pdu", bit(action::crash)},
    {"lu_io_stall", bit(action::stall)},
    {"lu_io_submitted", bit(action::crash)},
    {"conn_socket", bit(action::reset)},
    {"port_iscsi", bit(action::crash)},
    {"port_fc", bit(action::crash)},
    {"io_actor", bit(action::crash)},
    {"io_file", bit(action::eio) | bit(action::enospc) | bit(action::short_io) | bit(action::stall)},
    {"admin_call", bit(action::crash) | bit(action::delay)},
    {"copy_command", bit(action::crash)},
    {"library_commit", bit(action::stall)},
    {"lu_restart", bit(action::delay)},
}};

constexpr std::array<std::string_view, size_t(action::count_)> action_names = {"none",   "crash", "delay", "eio",
                                                                               "enospc", "short", "reset", "stall"};

// The slow path's state: touched only while a point is armed.
struct point_state {
  spec s;
  uint64_t passes = 0;
  uint32_t fired_now = 0;  // firings since armed
  uint64_t rng = 0;
  std::atomic<uint64_t> firings{0};
};

std::mutex mu;
std::array<point_state, size_t(point::count_)> states;

// splitmix64: small, seedable, and the same sequence on every platform.
uint64_t next_random(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

action default_action(point p) {
  for (unsigned a = 1; a < unsigned(action::count_); ++a)
    if (infos[size_t(p)].allowed & (1u << a)) return action(a);
  return action::none;
}

}  // namespace

bool allows(point p, action a) { return a != action::none && (infos[size_t(p)].allowed & bit(a)) != 0; }

std::string arm(point p, spec s) {
  if (s.act == action::none) s.act = default_action(p);
  if (!allows(p, s.act))
    return std::string("point ") + std::string(name_of(p)) + " does not support action " + std::string(name_of(s.act));
  if (s.after == 0) return "after counts passes from 1";
  if (s.percent == 0 || s.percent > 100) return "percent must be 1..100";
  std::lock_guard<std::mutex> lk(mu);
  auto& st = states[size_t(p)];
  st.passes = 0;
  st.fired_now = 0;
  st.rng = s.seed;
  st.s = std::move(s);
  detail::armed[size_t(p)].store(true, std::memory_order_release);
  return {};
}

void arm(point p, uint32_t times) {
  spec s;
  s.times = times;
  arm(p, std::move(s));
}

void disarm(point p) {
  std::lock_guard<std::mutex> lk(mu);
  detail::armed[size_t(p)].store(false, std::memory_order_release);
}

void disarm_all() {
  std::lock_guard<std::mutex> lk(mu);
  for (auto& a : detail::armed) a.store(false, std::memory_order_release);
}

fired detail::slow_fire(point p, std::string_view subject) {
  std::lock_guard<std::mutex> lk(mu);
  if (!detail::armed[size_t(p)].load(std::memory_order_relaxed)) return {};  // disarmed meanwhile
  auto& st = states[size_t(p)];
  if (!st.s.match.empty() && subject != st.s.match) return {};
  if (++st.passes < st.s.after) return {};
  if (st.s.percent < 100 && next_random(st.rng) % 100 >= st.s.percent) return {};
  st.firings.fetch_add(1, std::memory_order_relaxed);
  if (st.s.times != 0 && ++st.fired_now >= st.s.times) detail::armed[size_t(p)].store(false, std::memory_order_release);
  return fired{st.s.act, st.s.ms};
}

uint64_t firings(point p) { return states[size_t(p)].firings.load(std::memory_order_relaxed); }

std::vector<point_status> list() {
  std::lock_guard<std::mutex> lk(mu);
  std::vector<point_status> out;
  for (size_t i = 0; i < size_t(point::count_); ++i) {
    out.push_back(point_status{.p = point(i),
                               .name = infos[i].name,
                               .armed = detail::armed[i].load(std::memory_order_relaxed),
                               .armed_with = states[i].s,
                               .passes = states[i].passes,
                               .firings = states[i].firings.load(std::memory_order_relaxed),
                               .allowed = infos[i].allowed});
  }
  return out;
}

std::string_view name_of(point p) { return infos[size_t(p)].name; }
std::string_view name_of(action a) { return action_names[size_t(a)]; }

std::optional<point> point_named(std::string_view name) {
  for (size_t i = 0; i < infos.size(); ++i)
    if (infos[i].name == name) return point(i);
  return std::nullopt;
}

std::optional<action> action_named(std::string_view name) {
  for (size_t i = 1; i < action_names.size(); ++i)
    if (action_names[i] == name) return action(i);
  return std::nullopt;
}

}  // namespace stmfd::faults
