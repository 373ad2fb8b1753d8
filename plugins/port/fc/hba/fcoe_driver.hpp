#pragma once
// The FCoE driver actor behind an fcoe_hba (see fcoe_hba.hpp). It owns one
// AF_PACKET socket on the interface (FIP 8914h and FCoE 8906h frames only)
// and drives it through the io ring: one receive in flight (after each
// completion it drains what else is queued without blocking, then arms the
// next), sends from the HBA's transmit queue with at most max_tx_inflight
// frames in the ring.
//
// The interface is read every check_ms: missing (logged once; looked for
// again), replaced (another ifindex: the socket is reopened), down or
// without carrier (VN2VN stops: the link goes down and every login ends),
// up again (VN2VN starts over). Nothing about the interface ever ends the
// actor; the local port actor it is linked to does.
//
// Frames (FC-BB-6 7.3, 7.8): FIP VN2VN PDUs go to the VN2VN machine. FIP
// link service requests (VN2VN FLOGI and LOGO travel so) are unwrapped into
// the receive queue, and the ELS reply to each is wrapped the same way back
// to the ENode that asked (an LS_ACC with our VN_Port MAC descriptor).
// FCoE frames for our VN_Port MAC are checked (version, SOF/EOF, CRC,
// length) and queued; everything else the port sends goes out as FCoE from
// our VN_Port MAC to the destination's (FC-MAP + D_ID), SOFi3 opening a
// sequence (SEQ_CNT 0) and SOFn3 continuing it, EOFt ending it (End_Sequence)
// and EOFn otherwise.
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>

#include <caf/event_based_actor.hpp>

#include "io/completion.hpp"
#include "io/packet_socket.hpp"
#include "plugins/port/fc/hba/fcoe_hba.hpp"
#include "plugins/port/fc/hba/vn2vn.hpp"
#include "wire/fc/fip_vn2vn.hpp"

namespace stmfd::fc::hba {

class fcoe_driver : public caf::event_based_actor {
 public:
  static constexpr size_t max_tx_inflight = 128;
  static constexpr size_t max_fip_requests = 256;  // encapsulated requests awaiting their reply

  fcoe_driver(caf::actor_config& cfg, std::shared_ptr<fcoe_hba> queues, fcoe_options o);
  caf::behavior make_behavior() override;
  void on_exit() override;
  const char* name() const override { return "fc_fcoe"; }

 private:
  using clock = std::chrono::steady_clock;

  // --- the interface and the socket (fcoe_driver.cpp) ---
  void check_link();
  bool open(const io::link_info& li);
  void close(const char* why);
  void arm_recv();
  void on_completion(const io::completion& c);
  void on_packet(const uint8_t* p, size_t len);
  // Sends what the VN2VN machine produced, reports lost peers, publishes the
  // link state and schedules the next timer.
  void after_vn2vn();
  void on_tick(uint64_t seq);

  // --- frames (fcoe_driver_frames.cpp) ---
  void on_fcoe(const uint8_t* p, size_t len);
  void on_fip_link_service(const fcoe::mac& src, const fip::message& m);
  // The Ethernet frame carrying `f`; empty when it cannot be sent.
  std::vector<uint8_t> wrap(const frame& f);
  void pump_tx();
  void send_ethernet(std::vector<uint8_t> bytes, uint64_t hba_cookie);

  std::shared_ptr<fcoe_hba> q_;
  fcoe_options o_;
  std::optional<vn2vn> vn_;
  int fd_ = -1;
  int ifindex_ = 0;
  bool usable_ = false;  // interface up, with carrier and an MTU FCoE can use
  uint32_t mtu_ = 0;
  size_t max_payload_ = 0;
  fcoe::mac mac_{};           // the ENode MAC: the interface's own
  std::string last_problem_;  // logged once until it changes

  // Receive buffers by socket generation: a buffer stays until the ring
  // reports its receive, even after the socket was closed.
  uint32_t gen_ = 0;
  std::map<uint32_t, std::vector<uint8_t>> rx_bufs_;

  struct tx_slot {
    std::vector<uint8_t> bytes;
    uint64_t hba_cookie = 0;
  };
  std::map<uint64_t, tx_slot> tx_inflight_;
  uint64_t next_tx_ = 0;
  uint64_t tx_errors_ = 0;

  struct fip_request {
    uint8_t els_type = 0;
    fcoe::mac reply_to{};
  };
  std::map<uint64_t, fip_request> fip_requests_;  // by S_ID << 16 | OX_ID
  std::deque<uint64_t> fip_order_;

  uint64_t tick_seq_ = 0;
  bool tick_pending_ = false;
  clock::time_point tick_at_{};
  uint64_t dropped_ = 0;
};

}  // namespace stmfd::fc::hba
