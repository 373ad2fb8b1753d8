#include "actors/common/event_hub.hpp"

#include <time.h>

#include <algorithm>
#include <utility>

namespace stmfd {
namespace {

uint64_t realtime_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return uint64_t(ts.tv_sec) * 1000000000u + uint64_t(ts.tv_nsec);
}

}  // namespace

uint64_t event_subscriber::take(std::vector<event_record>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  out.insert(out.end(), std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  return std::exchange(dropped_, 0);
}

void event_subscriber::on_ready(std::function<void()> wake) {
  std::function<void()> now;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    wake_ = std::move(wake);
    if (wake_ && !queue_.empty()) now = wake_;  // events already waiting
  }
  if (now) now();
}

void event_subscriber::push(const event_record& e) {
  std::function<void()> wake;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (capacity_ == 0) {
      ++dropped_;
      return;
    }
    if (queue_.size() >= capacity_) {  // drop-oldest: the subscriber is behind
      queue_.pop_front();
      ++dropped_;
    }
    bool was_empty = queue_.empty();
    queue_.push_back(e);
    if (was_empty) wake = wake_;
  }
  if (wake) wake();
}

std::shared_ptr<event_subscriber> event_hub::subscribe(size_t capacity) {
  auto s = std::make_shared<event_subscriber>(capacity);
  std::lock_guard<std::mutex> lock(mutex_);
  subscribers_.push_back(s);
  return s;
}

void event_hub::publish(event_record e) {
  if (e.time_ns == 0) e.time_ns = realtime_ns();
  std::vector<std::shared_ptr<event_subscriber>> live;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                      [](const std::weak_ptr<event_subscriber>& w) { return w.expired(); }),
                       subscribers_.end());
    for (auto& w : subscribers_)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) s->push(e);
}

event_record lu_state_event(const std::string& lu, lu_state state, const std::string& reason) {
  event_record e;
  e.what = event_record::kind::lu_state;
  e.lu = lu;
  e.state = state;
  e.reason = reason;
  return e;
}

event_record recovery_event(const std::string& what) {
  event_record e;
  e.what = event_record::kind::recovery;
  e.reason = what;
  return e;
}

}  // namespace stmfd
