// wire/admin.capnp `subscribe`: each subscription drains its own queue of
// the framework's event hub (actors/common/event_hub.hpp) into the
// client's EventSink, one deliver() at a time. STMF's publish wakes this
// thread's loop through a kj cross-thread fulfiller; nothing here ever
// makes STMF wait.
#include <kj/async.h>

#include <mutex>

#include "actors/admin/admin_rpc_ops.hpp"

namespace stmfd::admin {
namespace {

using namespace wire::admin;

void fill_event(Event::Builder out, const event_record& e, uint64_t dropped) {
  out.setTimeNs(e.time_ns);
  out.setDropped(dropped);
  switch (e.what) {
    case event_record::kind::login:
    case event_record::kind::logout: {
      auto s = e.what == event_record::kind::login ? out.initLogin() : out.initLogout();
      s.setNexus(e.nexus);
      s.setInitiatorName(e.initiator_name);
      s.setInitiatorPort(e.initiator_port);
      s.setTarget(e.target);
      break;
    }
    case event_record::kind::lu_state: {
      auto l = out.initLuState();
      l.setLu(e.lu);
      l.setState(wire_state(e.state));
      l.setReason(e.reason);
      break;
    }
    case event_record::kind::recovery: out.setRecovery(e.reason); break;
  }
}

// Wakes the loop from the publishing thread. A wake with no fulfiller
// waiting (the loop is delivering) is remembered in `pending`.
struct wake_state {
  std::mutex mutex;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> fulfiller;
  bool pending = false;
  void wake() {
    std::lock_guard<std::mutex> lock(mutex);
    if (fulfiller) {
      fulfiller->fulfill();
      fulfiller = nullptr;
    } else {
      pending = true;
    }
  }
};

class subscription final : public Subscription::Server {
 public:
  subscription(std::shared_ptr<event_subscriber> sub, EventSink::Client sink)
      : sub_(std::move(sub)), sink_(kj::mv(sink)), wake_(std::make_shared<wake_state>()) {
    sub_->on_ready([w = wake_] { w->wake(); });
    task_ = pump().eagerlyEvaluate(nullptr);
  }
  ~subscription() { sub_->on_ready(nullptr); }

 private:
  kj::Promise<void> pump() {
    std::vector<event_record> events;
    uint64_t dropped = sub_->take(events);
    if (events.empty()) {
      auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
      {
        std::lock_guard<std::mutex> lock(wake_->mutex);
        if (wake_->pending) {  // an event came while we were delivering
          wake_->pending = false;
          return kj::evalLater([this] { return pump(); });
        }
        wake_->fulfiller = kj::mv(paf.fulfiller);
      }
      return paf.promise.then([this] { return pump(); });
    }
    kj::Promise<void> chain = kj::READY_NOW;
    for (size_t i = 0; i < events.size(); ++i) {
      chain = chain.then([this, e = std::move(events[i]), d = i == 0 ? dropped : 0]() {
        auto req = sink_.deliverRequest();
        fill_event(req.initEvent(), e, d);
        return req.send().ignoreResult();
      });
    }
    // A sink that fails (the client went away) ends the delivery; the
    // queue is released with this object when the client's handle goes.
    return chain.then([this] { return pump(); }, [this](kj::Exception&&) { sub_->on_ready(nullptr); });
  }

  std::shared_ptr<event_subscriber> sub_;
  EventSink::Client sink_;
  std::shared_ptr<wake_state> wake_;
  kj::Promise<void> task_ = nullptr;
};

}  // namespace

void serve_subscribe(admin_service& service, Admin::SubscribeParams::Reader params,
                     Admin::SubscribeResults::Builder results) {
  auto status = results.initStatus();
  auto& hub = service.events();
  if (!hub) {
    status.setCode(ErrorCode::FAILED);
    status.setMessage("this daemon publishes no events");
    return;
  }
  status.setCode(ErrorCode::OK);
  results.setHandle(kj::heap<subscription>(hub->subscribe(), params.getSink()));
}

}  // namespace stmfd::admin
