// stmfadm watch: the daemon's event stream (wire/admin.capnp `subscribe`),
// one line per event (or one JSON object per line with --json), until
// Ctrl-C, --count events, or --timeout seconds.
#include <capnp/compat/json.h>
#include <kj/async.h>

#include <cstdio>
#include <ctime>

#include "actors/stmfadm/verbs.hpp"

namespace stmfd::stmfadm {

using namespace wire::admin;

namespace {

std::string when(uint64_t ns) {
  time_t secs = time_t(ns / 1000000000u);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[48];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03uZ", unsigned(ns / 1000000u % 1000u));
  return buf;
}

const char* state_word(LuState s) {
  switch (s) {
    case LuState::ONLINE: return "online";
    case LuState::OFFLINE: return "offline";
    case LuState::FAILED: return "failed";
    case LuState::RESTARTING: return "restarting";
  }
  return "unknown";
}

std::string line_of(Event::Reader e) {
  std::string out = when(e.getTimeNs()) + " ";
  auto session = [](SessionInfo::Reader s) {
    return "nexus=" + std::to_string(s.getNexus()) + " initiator=" + str(s.getInitiatorPort()) +
           " target=" + str(s.getTarget());
  };
  switch (e.which()) {
    case Event::LOGIN: out += "login " + session(e.getLogin()); break;
    case Event::LOGOUT: out += "logout " + session(e.getLogout()); break;
    case Event::LU_STATE: {
      auto l = e.getLuState();
      out += "lu " + str(l.getLu()) + " " + state_word(l.getState());
      if (l.getReason().size()) out += ": " + str(l.getReason());
      break;
    }
    case Event::RECOVERY: out += "recovery: " + str(e.getRecovery()); break;
  }
  return out;
}

class printing_sink final : public EventSink::Server {
 public:
  printing_sink(bool json, unsigned limit, kj::Own<kj::PromiseFulfiller<void>> done)
      : json_(json), limit_(limit), done_(kj::mv(done)) {}

  kj::Promise<void> deliver(DeliverContext context) override {
    auto e = context.getParams().getEvent();
    if (e.getDropped())
      std::printf("(%llu events dropped: this watcher read too slowly)\n",
                  static_cast<unsigned long long>(e.getDropped()));
    if (json_) {
      capnp::JsonCodec codec;
      std::printf("%s\n", codec.encode(e).cStr());
    } else {
      std::printf("%s\n", line_of(e).c_str());
    }
    std::fflush(stdout);
    if (limit_ && ++seen_ >= limit_ && done_->isWaiting()) done_->fulfill();
    return kj::READY_NOW;
  }

 private:
  bool json_;
  unsigned limit_, seen_ = 0;
  kj::Own<kj::PromiseFulfiller<void>> done_;
};

}  // namespace

runner watch_events(CLI::App& app, std::shared_ptr<context> c) {
  auto count = std::make_shared<unsigned>(0);
  auto timeout = std::make_shared<unsigned>(0);
  app.add_option("-c,--count", *count, "exit after this many events (default: run until interrupted)");
  app.add_option("-t,--timeout", *timeout, "give up after this many seconds (exit status 1)");
  return [c, count, timeout](connection& conn) {
    auto paf = kj::newPromiseAndFulfiller<void>();
    auto req = conn.admin().subscribeRequest();
    req.setSink(kj::heap<printing_sink>(c->json, *count, kj::mv(paf.fulfiller)));
    auto resp = req.send().wait(conn.wait_scope());
    if (int rc = report(c->program, resp.getStatus()); rc != exit_ok) return rc;
    auto handle = resp.getHandle();  // the subscription lasts while this is held
    std::fflush(stdout);
    kj::Promise<bool> finished = paf.promise.then([] { return true; });
    if (*timeout)
      finished = finished.exclusiveJoin(conn.timer().afterDelay(*timeout * kj::SECONDS).then([] { return false; }));
    if (finished.wait(conn.wait_scope())) return int(exit_ok);
    std::fprintf(stderr, "%s: watch: %u event(s) did not come within %u s\n", c->program.c_str(), *count, *timeout);
    return int(exit_failed);
  };
}

}  // namespace stmfd::stmfadm
