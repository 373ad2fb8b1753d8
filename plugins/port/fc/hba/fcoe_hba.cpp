#include "plugins/port/fc/hba/fcoe_hba.hpp"

#include <algorithm>

namespace stmfd::fc::hba {

size_t fcoe_max_payload(uint32_t mtu) {
  constexpr size_t overhead = fcoe::header_len + fc::header_len + fcoe::trailer_len;  // 46 bytes
  if (mtu < overhead + 256) return 0;
  return std::min<size_t>(fc::max_payload, (mtu - overhead) & ~size_t(3));
}

fcoe_hba::fcoe_hba(std::string name, size_t capacity) : name_(std::move(name)), capacity_(capacity) {}

void fcoe_hba::wake_owner(std::unique_lock<std::mutex>& lock) {
  auto n = notify_;
  lock.unlock();
  if (n) n();
}

void fcoe_hba::set_notify(std::function<void()> notify) {
  std::unique_lock lock(mtx_);
  notify_ = std::move(notify);
  if (!rx_.empty() || !done_.empty() || !lost_.empty()) wake_owner(lock);
}

bool fcoe_hba::link_up() const {
  std::lock_guard lock(mtx_);
  return up_;
}

uint32_t fcoe_hba::port_id() const {
  std::lock_guard lock(mtx_);
  return port_id_;
}

size_t fcoe_hba::max_payload() const {
  std::lock_guard lock(mtx_);
  return max_payload_ ? max_payload_ : fc::max_payload;
}

bool fcoe_hba::transmit(frame&& f, uint64_t cookie) {
  std::function<void()> wake;
  {
    std::lock_guard lock(mtx_);
    if (!up_ || tx_.size() >= capacity_) return false;
    if (tx_.empty()) wake = driver_wake_;
    tx_.push_back({std::move(f), cookie});
  }
  if (wake) wake();
  return true;
}

size_t fcoe_hba::receive(std::vector<frame>& out, size_t max) {
  std::lock_guard lock(mtx_);
  size_t n = 0;
  for (; n < max && !rx_.empty(); ++n) {
    out.push_back(std::move(rx_.front()));
    rx_.pop_front();
  }
  return n;
}

size_t fcoe_hba::completions(std::vector<tx_completion>& out, size_t max) {
  std::lock_guard lock(mtx_);
  size_t n = 0;
  for (; n < max && !done_.empty(); ++n) {
    out.push_back(done_.front());
    done_.pop_front();
  }
  return n;
}

size_t fcoe_hba::lost_peers(std::vector<uint32_t>& out) {
  std::lock_guard lock(mtx_);
  size_t n = lost_.size();
  out.insert(out.end(), lost_.begin(), lost_.end());
  lost_.clear();
  return n;
}

void fcoe_hba::set_driver_wake(std::function<void()> wake) {
  std::lock_guard lock(mtx_);
  driver_wake_ = std::move(wake);
}

void fcoe_hba::set_link(bool up, uint32_t port_id, size_t max_payload) {
  std::unique_lock lock(mtx_);
  if (up == up_ && port_id == port_id_ && max_payload == max_payload_) return;
  up_ = up;
  port_id_ = port_id;
  max_payload_ = max_payload;
  if (!up) {
    rx_.clear();
    for (auto& o : tx_)
      if (o.cookie) done_.push_back({o.cookie, false});
    tx_.clear();
  }
  wake_owner(lock);
}

bool fcoe_hba::deliver(frame&& f) {
  std::unique_lock lock(mtx_);
  if (!up_ || rx_.size() >= capacity_) {
    ++rx_dropped_;
    return false;
  }
  bool was_empty = rx_.empty() && done_.empty() && lost_.empty();
  rx_.push_back(std::move(f));
  if (was_empty) wake_owner(lock);
  return true;
}

size_t fcoe_hba::take_tx(std::vector<outgoing>& out, size_t max) {
  std::lock_guard lock(mtx_);
  size_t n = 0;
  for (; n < max && !tx_.empty(); ++n) {
    out.push_back(std::move(tx_.front()));
    tx_.pop_front();
  }
  return n;
}

void fcoe_hba::complete(uint64_t cookie, bool ok) {
  if (cookie == 0) return;
  std::unique_lock lock(mtx_);
  bool was_empty = rx_.empty() && done_.empty() && lost_.empty();
  done_.push_back({cookie, ok});
  if (was_empty) wake_owner(lock);
}

void fcoe_hba::lose(const std::vector<uint32_t>& port_ids) {
  if (port_ids.empty()) return;
  std::unique_lock lock(mtx_);
  lost_.insert(lost_.end(), port_ids.begin(), port_ids.end());
  wake_owner(lock);
}

uint64_t fcoe_hba::rx_dropped() const {
  std::lock_guard lock(mtx_);
  return rx_dropped_;
}

}  // namespace stmfd::fc::hba
