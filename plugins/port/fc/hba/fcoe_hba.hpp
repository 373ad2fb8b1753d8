#pragma once
// The FCoE HBA (COMSTAR's fcoet, in our own words): an FC port on a plain
// Ethernet interface, FC-BB-6 VN2VN. Two halves:
//  - fcoe_hba (here): the HBA queues the port provider sees (hba.hpp),
//    thread-safe, bounded like the loopback's;
//  - the driver actor (fcoe_driver.hpp), which owns the AF_PACKET socket on
//    the interface and drives it through the io ring: it receives FCoE and
//    FIP frames, runs the VN2VN address protocol (vn2vn.hpp), fills the
//    receive queue, and empties the transmit queue onto the wire.
// The link is up once the interface is up and VN2VN holds a port ID; its
// data field follows the interface's MTU (2112 bytes from MTU 2158 up).
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include <caf/fwd.hpp>

#include "io/ring.hpp"
#include "plugins/port/fc/hba/hba.hpp"
#include "wire/fc/fcoe.hpp"

namespace stmfd::fc::hba {

struct fcoe_options {
  std::string interface;           // the Ethernet interface (it may come and go)
  uint64_t wwpn = 0, wwnn = 0;     // the VN_Port's names (FIP descriptors)
  std::shared_ptr<io::ring> ring;  // the ring the socket's I/O goes through
  uint32_t fc_map = fcoe::default_fc_map;
  uint32_t first_id = 0;     // the first port ID proposed (0: the WWPN's low 16 bits)
  size_t capacity = 1024;    // frames each queue holds
  uint32_t check_ms = 1000;  // how often the interface's state is read
};

// The largest FC data field an FCoE frame carries on an interface of this
// MTU (FCoE header, FC header, data, CRC and EOF within the MTU), a whole
// number of words, at most 2112; 0 when not even 256 bytes fit.
size_t fcoe_max_payload(uint32_t mtu);

class fcoe_hba final : public hba {
 public:
  fcoe_hba(std::string name, size_t capacity);
  // --- hba ---
  const std::string& name() const override { return name_; }
  void set_notify(std::function<void()> notify) override;
  bool link_up() const override;
  uint32_t port_id() const override;
  size_t max_payload() const override;
  bool transmit(frame&& f, uint64_t cookie = 0) override;
  size_t receive(std::vector<frame>& out, size_t max) override;
  size_t completions(std::vector<tx_completion>& out, size_t max) override;
  size_t lost_peers(std::vector<uint32_t>& out) override;

  // --- the driver's side ---
  struct outgoing {
    frame f;
    uint64_t cookie = 0;
  };
  // Called (outside the lock) when the transmit queue goes from empty to not.
  void set_driver_wake(std::function<void()> wake);
  // The link state; going down drops what waits in both directions (what
  // waited for transmission completes with ok = false).
  void set_link(bool up, uint32_t port_id, size_t max_payload);
  // Queues a received frame; false (frame dropped, counted) when full or down.
  bool deliver(frame&& f);
  size_t take_tx(std::vector<outgoing>& out, size_t max);
  void complete(uint64_t cookie, bool ok);
  void lose(const std::vector<uint32_t>& port_ids);
  uint64_t rx_dropped() const;

 private:
  void wake_owner(std::unique_lock<std::mutex>& lock);

  const std::string name_;
  const size_t capacity_;
  mutable std::mutex mtx_;
  bool up_ = false;
  uint32_t port_id_ = 0;
  size_t max_payload_ = 0;
  std::deque<frame> rx_;
  std::deque<outgoing> tx_;
  std::deque<tx_completion> done_;
  std::vector<uint32_t> lost_;
  uint64_t rx_dropped_ = 0;
  std::function<void()> notify_, driver_wake_;
};

// Spawns the driver actor for `o.interface`, linked to `owner` (the local
// port actor: either ending ends the other), and returns its queues; the
// actor itself in `*driver` when asked (tests).
std::shared_ptr<fcoe_hba> start_fcoe(caf::local_actor& owner, fcoe_options o, caf::actor* driver = nullptr);

}  // namespace stmfd::fc::hba
