#pragma once
// An HBA as the FC port provider sees it: a receive queue of frames that
// arrived for its local port, a transmit queue of frames to send, and a
// completion queue saying which transmissions finished (COMSTAR's fct/qlt
// split: the provider never knows the link below). Drivers: the in-process
// loopback pair (loopback.hpp) and FCoE VN2VN over AF_PACKET (fcoe_hba.hpp),
// driven by an io_uring actor.
//
// Threading: every method may be called from any thread (the port actor
// receives, the remote port actors transmit). A driver calls the notify
// function (set by the owner) when the receive or completion queue goes
// from empty to non-empty or the link changes state; the owner then drains
// the queues from its own thread. Queues are bounded: a frame the link
// cannot take now (the transmit queue, or the loopback peer's receive
// queue, is full) is refused and stays with the caller, who sends it again
// later (buffer-to-buffer flow control, FC-FS-4 20, in the small).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wire/fc/frame.hpp"

namespace stmfd::fc::hba {

struct tx_completion {
  uint64_t cookie = 0;  // the caller's, from transmit()
  bool ok = false;      // false: the frame was not delivered (link down)
};

class hba {
 public:
  virtual ~hba() = default;
  virtual const std::string& name() const = 0;
  // Installs (or, with an empty function, removes) the owner's wake-up.
  // Once it returns, the previous wake-up is neither running on another
  // thread nor called again, so its owner may be destroyed (a call made
  // from inside that wake-up does not wait for itself).
  virtual void set_notify(std::function<void()> notify) = 0;
  // The link is up and the local port has its N_Port identifier (loopback:
  // fixed per end; VN2VN: claimed through FIP; point-to-point: assigned).
  virtual bool link_up() const = 0;
  virtual uint32_t port_id() const = 0;
  // The largest FC data field the link carries (2112, less when the
  // Ethernet MTU of an FCoE link is smaller).
  virtual size_t max_payload() const = 0;
  // Queues one frame (header + payload), moving it out of `f`. False when
  // the link is down or busy: `f` is left as it was. A non-zero cookie asks
  // for a completion once the frame has left; frames sent with cookie 0
  // complete silently (the data path needs no completion hop).
  virtual bool transmit(frame&& f, uint64_t cookie = 0) = 0;
  // Moves up to `max` received frames / completions into `out`; returns how many.
  virtual size_t receive(std::vector<frame>& out, size_t max) = 0;
  virtual size_t completions(std::vector<tx_completion>& out, size_t max) = 0;
  // Moves the N_Port identifiers of remote ports the link lost sight of
  // (VN2VN: a peer that stopped beaconing or gave up its address) into
  // `out`; the owner logs their logins out. Links that cannot tell keep the
  // default (none); a whole link going down is link_up() turning false.
  virtual size_t lost_peers(std::vector<uint32_t>& out) {
    (void)out;
    return 0;
  }
};

}  // namespace stmfd::fc::hba
