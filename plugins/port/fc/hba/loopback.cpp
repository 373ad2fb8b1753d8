#include "plugins/port/fc/hba/loopback.hpp"

#include <map>

namespace stmfd::fc::hba {

namespace {

std::mutex registry_mtx;
// The end whose wake-up this thread is running (set_notify from inside it
// must not wait for itself).
thread_local const void* waking_end = nullptr;
std::map<std::string, std::weak_ptr<loopback_end>>& registry() {
  static std::map<std::string, std::weak_ptr<loopback_end>> r;
  return r;
}

}  // namespace

loopback_pair make_loopback(const std::string& name, uint32_t target_id, uint32_t initiator_id, size_t capacity) {
  loopback_pair p;
  p.target = std::make_shared<loopback_end>(name, target_id, capacity);
  p.initiator = std::make_shared<loopback_end>(name + ".peer", initiator_id, capacity);
  p.target->peer_ = p.initiator;
  p.initiator->peer_ = p.target;
  std::lock_guard lock(registry_mtx);
  registry()[name] = p.target;
  return p;
}

std::shared_ptr<hba> open_loopback(const std::string& name) {
  std::lock_guard lock(registry_mtx);
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : it->second.lock();
}

void remove_loopback(const std::string& name) {
  std::lock_guard lock(registry_mtx);
  registry().erase(name);
}

void loopback_pair::set_link(bool up) {
  if (target) target->link_changed(up);
  if (initiator) initiator->link_changed(up);
}

loopback_end::loopback_end(std::string name, uint32_t port_id, size_t capacity)
    : name_(std::move(name)), port_id_(port_id), capacity_(capacity) {}

std::function<void()> loopback_end::take_notify() {
  if (notify_) ++waking_;
  return notify_;
}

void loopback_end::wake(std::function<void()>& n) {
  if (!n) return;
  const void* outer = waking_end;
  waking_end = this;
  n();
  waking_end = outer;
  {
    std::lock_guard lock(mtx_);
    --waking_;
  }
  woken_.notify_all();
}

void loopback_end::set_notify(std::function<void()> notify) {
  std::function<void()> n;
  {
    std::unique_lock lock(mtx_);
    notify_ = std::move(notify);
    // The old wake-up may be running on a peer's thread (deliver, link
    // changes): wait it out, except for this thread's own call.
    const unsigned own = waking_end == this ? 1 : 0;
    woken_.wait(lock, [&] { return waking_ <= own; });
    if (!rx_.empty() || !done_.empty()) n = take_notify();
  }
  wake(n);
}

bool loopback_end::link_up() const {
  std::lock_guard lock(mtx_);
  return up_ && !peer_.expired();
}

bool loopback_end::transmit(frame&& f, uint64_t cookie) {
  auto peer = peer_.lock();
  {
    std::lock_guard lock(mtx_);
    if (!up_ || !peer) return false;
  }
  if (!peer->deliver(f)) return false;  // the peer cannot take it now: the caller keeps it
  if (cookie == 0) return true;
  std::function<void()> n;
  {
    std::lock_guard lock(mtx_);
    bool was_empty = rx_.empty() && done_.empty();
    done_.push_back({cookie, true});
    if (was_empty) n = take_notify();
  }
  wake(n);
  return true;
}

bool loopback_end::deliver(frame& f) {
  std::function<void()> n;
  {
    std::lock_guard lock(mtx_);
    if (!up_) return false;
    if (rx_.size() >= capacity_) {
      ++refused_;
      return false;
    }
    bool was_empty = rx_.empty() && done_.empty();
    rx_.push_back(std::move(f));
    if (was_empty) n = take_notify();
  }
  wake(n);
  return true;
}

void loopback_end::link_changed(bool up) {
  std::function<void()> n;
  {
    std::lock_guard lock(mtx_);
    up_ = up;
    if (!up) rx_.clear();
    n = take_notify();
  }
  wake(n);
}

size_t loopback_end::receive(std::vector<frame>& out, size_t max) {
  std::lock_guard lock(mtx_);
  size_t n = 0;
  while (n < max && !rx_.empty()) {
    out.push_back(std::move(rx_.front()));
    rx_.pop_front();
    ++n;
  }
  return n;
}

size_t loopback_end::completions(std::vector<tx_completion>& out, size_t max) {
  std::lock_guard lock(mtx_);
  size_t n = 0;
  while (n < max && !done_.empty()) {
    out.push_back(done_.front());
    done_.pop_front();
    ++n;
  }
  return n;
}

size_t loopback_end::refused() const {
  std::lock_guard lock(mtx_);
  return refused_;
}

}  // namespace stmfd::fc::hba
