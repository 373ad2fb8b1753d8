#pragma once
// The VN2VN address protocol of one VN_Port (FC-BB-6 7.8.7), pure: driven by
// the FIP frames that arrive and by the time, it produces the FIP frames to
// send and says which port ID the VN_Port holds and which peers it knows.
//
//   idle --start--> start --(0..probe_wait)--> probe1 (probe request)
//     --probe_wait--> probe2 (probe request) --announce_wait--> claim
//     (claim notification; the port ID is now ours) --announce_wait--> up
//     (beacon, then one every beacon_interval + fuzz)
//
// A probe reply or a claim for our proposed ID before we hold it, or a
// claim for the ID we hold from a port with a greater port name, makes us
// propose another ID (random 16 bits; after rate_limit_count proposals one
// every rate_limit_interval). A probe request for our ID is answered (probe
// reply) once we claimed it, or while probing when our port name is the
// greater. A claim notification from another port is answered with a claim
// response (unicast, padded to the smaller of both FCoE sizes, which checks
// the path carries frames that large) and makes it a peer; so does a claim
// response. Peers are refreshed by their beacons and forgotten (reported by
// take_lost) when silent for peer_timeout. Beacons from unknown ports make
// us announce ourselves again (a claim notification, at most one per
// announce_wait); so does a probe reply for the ID we hold.
#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "wire/fc/fip_vn2vn.hpp"

namespace stmfd::fc::hba {

struct vn2vn_config {
  uint64_t wwpn = 0, wwnn = 0;
  fcoe::mac enode{};       // our ENode MAC: the interface's own address
  uint16_t fcoe_size = 0;  // the largest FCoE frame we take (FCoE header to EOF)
  uint32_t fc_map = fcoe::default_fc_map;
  uint32_t first_id = 0;   // the first proposal; 0: the port name's low 16 bits
  uint64_t seed = 0;       // for the random delays and later proposals
  size_t max_peers = 256;  // claims beyond this many peers are ignored
};

class vn2vn {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;
  enum class state { idle, start, probe1, probe2, claim, up };
  struct peer {
    fcoe::mac enode{};  // where FIP frames for it go
    uint64_t wwpn = 0, wwnn = 0;
    uint16_t fcoe_size = 0;
    time_point seen{};  // its claim or its last beacon
    bool beaconed = false;
  };

  explicit vn2vn(vn2vn_config cfg);

  // The link came up: propose an ID (the previous one when there was one).
  void start(time_point now);
  // The link went down: idle, every peer reported lost.
  void stop();
  // One received FIP PDU (already decoded) from Ethernet source `src`;
  // PDUs that are not VN2VN or not well formed are ignored (returns false).
  bool on_fip(const fcoe::mac& src, const fip::message& m, time_point now);
  // Runs the timers: call at next_deadline() (earlier or later is harmless).
  void tick(time_point now);
  time_point next_deadline() const { return deadline_; }

  state current() const { return state_; }
  // Whether the port ID is ours (claim or up): FC traffic may flow.
  bool holds_id() const { return state_ == state::claim || state_ == state::up; }
  uint32_t port_id() const { return port_id_; }
  fcoe::mac vn_mac() const { return fcoe::vn_port_mac(port_id_, cfg_.fc_map); }
  const std::map<uint32_t, peer>& peers() const { return peers_; }
  const vn2vn_config& config() const { return cfg_; }
  unsigned proposals() const { return proposals_; }

  // Ethernet frames (no FCS) to send, in order; emptied by the call.
  std::vector<std::vector<uint8_t>> take_output();
  // Port IDs of peers forgotten since the last call (aged out, replaced by
  // another port, or the link went down).
  std::vector<uint32_t> take_lost();

 private:
  void restart(time_point now);
  void send(uint8_t subcode, const fcoe::mac& dst, size_t min_payload = 0);
  void add_peer(const fip::vn2vn_msg& v, time_point now);
  void forget(std::map<uint32_t, peer>::iterator it);
  void on_probe_request(const fip::vn2vn_msg& v, time_point now);
  void on_claim_notify(const fip::vn2vn_msg& v, time_point now);
  void on_beacon(const fip::vn2vn_msg& v, time_point now);
  void age(time_point now);
  unsigned random_below(unsigned bound);

  vn2vn_config cfg_;
  state state_ = state::idle;
  uint32_t port_id_ = 0;
  unsigned proposals_ = 0;
  time_point deadline_ = time_point::max();
  time_point next_beacon_{};
  time_point last_claim_{};
  std::map<uint32_t, peer> peers_;
  std::vector<std::vector<uint8_t>> out_;
  std::vector<uint32_t> lost_;
  std::mt19937_64 rng_;
};

}  // namespace stmfd::fc::hba
