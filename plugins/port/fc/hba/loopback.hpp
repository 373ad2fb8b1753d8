#pragma once
// The loopback HBA: two ends joined in process, what one transmits the other
// receives (FC-FS-4 point-to-point, no fabric). For fast tests of the whole
// FC stack: a test makes a pair named like an interface, the port provider
// configured with driver "loopback" and that interface name takes the
// target end (open()), the test drives the other end as an initiator.
// Link state follows the pair: set_link(false) (or destroying the pair)
// takes both ends down, which the provider sees as a port disappearing.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "plugins/port/fc/hba/hba.hpp"

namespace stmfd::fc::hba {

class loopback_end;

struct loopback_pair {
  std::shared_ptr<loopback_end> target, initiator;
  void set_link(bool up);
};

// Makes a pair and registers its target end under `name` (replacing any
// earlier pair of that name). Port identifiers: target_id, initiator_id.
loopback_pair make_loopback(const std::string& name, uint32_t target_id = 0x0000EF, uint32_t initiator_id = 0x0000E8,
                            size_t capacity = 1024);
// The registered target end named `name`, or null (the provider retries).
std::shared_ptr<hba> open_loopback(const std::string& name);
// Unregisters `name` (the pair lives on while its ends are held).
void remove_loopback(const std::string& name);

class loopback_end final : public hba, public std::enable_shared_from_this<loopback_end> {
 public:
  loopback_end(std::string name, uint32_t port_id, size_t capacity);
  const std::string& name() const override { return name_; }
  void set_notify(std::function<void()> notify) override;
  bool link_up() const override;
  uint32_t port_id() const override { return port_id_; }
  size_t max_payload() const override { return fc::max_payload; }
  bool transmit(frame&& f, uint64_t cookie = 0) override;
  size_t receive(std::vector<frame>& out, size_t max) override;
  size_t completions(std::vector<tx_completion>& out, size_t max) override;
  // Frames refused because this end's receive queue was full.
  size_t refused() const;

 private:
  friend loopback_pair make_loopback(const std::string&, uint32_t, uint32_t, size_t);
  friend struct loopback_pair;
  bool deliver(frame& f);  // from the peer; false (f kept) when full or down
  void link_changed(bool up);
  // Under mtx_: the current wake-up, counted as running until wake() ends.
  std::function<void()> take_notify();
  void wake(std::function<void()>& n);

  std::string name_;
  uint32_t port_id_;
  size_t capacity_;
  std::weak_ptr<loopback_end> peer_;
  mutable std::mutex mtx_;
  bool up_ = true;
  std::deque<frame> rx_;
  std::deque<tx_completion> done_;
  size_t refused_ = 0;
  std::function<void()> notify_;
  unsigned waking_ = 0;            // wake-ups taken and not yet returned
  std::condition_variable woken_;  // waking_ went down (set_notify waits)
};

}  // namespace stmfd::fc::hba
