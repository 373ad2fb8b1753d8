#pragma once
// One FC local port (COMSTAR fct's local port): bound to its HBA, it drains
// the HBA's receive queue, answers the link services that concern the port
// itself (FLOGI, PLOGI, LOGO, ADISC, RTV, RLS, ECHO, RRQ; LS_RJT for the
// rest) and runs one remote port actor per logged-in initiator (PLOGI),
// handing it the frames of its process login and exchanges (PRLI/PRLO,
// FCP IUs, ABTS). Frames from ports that are not logged in get LS_RJT
// "N_Port login required" (ELS) or are dropped (FCP, BLS); malformed frames
// are dropped and counted. When the HBA is not there yet it is looked for
// every open_retry_ms; when its link goes down (or its port ID changes)
// every remote port ends, logging its I_T nexus out of STMF, and so does a
// remote port the link reports lost (FCoE VN2VN: a peer that stopped
// beaconing). It reports its link to STMF (port_link_atom: at start, down
// while the HBA is absent, then on every change) so that a target port
// group whose FC ports are all down is offline as seen through the others
// (ALUA). Driver "fcoe" starts an FCoE HBA (hba/fcoe_hba.hpp) on the
// named interface, its driver actor linked to this one.
#include <memory>
#include <optional>
#include <unordered_map>

#include <caf/event_based_actor.hpp>

#include "actors/contracts/port_identity.hpp"
#include "actors/contracts/port_provider.hpp"
#include "io/ring.hpp"
#include "plugins/port/fc/atoms.hpp"
#include "plugins/port/fc/hba/hba.hpp"
#include "plugins/port/fc/link_services.hpp"
#include "plugins/port/fc/port_config.hpp"

namespace stmfd::fc {

class lport_actor : public caf::event_based_actor {
 public:
  lport_actor(caf::actor_config& cfg, caf::actor stmf, port_config port, local_port identity, port_settings settings,
              std::shared_ptr<io::ring> ring = nullptr);
  caf::behavior make_behavior() override;
  void on_exit() override;
  const char* name() const override { return "fc_lport"; }

 private:
  void try_open();
  void drain();
  // Tells STMF the link's state when it differs from what it last heard.
  void report_link(bool up);
  void on_frame(frame& f);
  void on_els(frame& f);
  // --- N_Port login (lport_login.cpp) ---
  void on_plogi(frame& f);
  // VN2VN (FC-BB-6 7.8.7; what Linux libfc does): after FLOGI the port
  // with the greater port name originates PLOGI, the other waits for it.
  void originate_plogi(uint32_t remote_id);
  // An ELS request this port originates to remote_id (a new OX_ID); false:
  // the link did not take it.
  bool send_els_request(uint32_t remote_id, std::vector<uint8_t> payload, uint16_t& ox_id);
  // An administrator's logout of a remote port's nexus (its rport actor
  // asks: session_logout_atom): LOGO to it (FC-LS-3 4.3.8), then its
  // login ends here as when it sends LOGO itself.
  void logout_rport(uint32_t remote_id);
  void on_els_reply(frame& f);
  void start_rport(uint32_t remote_id, const els::login_params& remote);
  void send_reply(const frame_header& req, const els_reply& r);
  void end_rport(uint32_t port_id);
  void end_rports_named(uint64_t wwpn);  // every login of the port with this WWPN
  void end_all();
  local_identity me() const;
  // --- the admin plane's view (lport_detail.cpp) ---
  local_port_detail detail() const;
  void on_rport_nexus(uint64_t nexus);  // from the remote port actor that sent it

  struct rport {
    caf::actor actor;
    uint64_t wwpn = 0;
    uint64_t wwnn = 0;
    uint64_t nexus = 0;  // its I_T nexus (rport_nexus_atom), 0 before PRLI
  };
  caf::actor stmf_;
  port_config cfg_;
  local_port identity_;
  port_settings settings_;
  std::shared_ptr<io::ring> ring_;  // for driver "fcoe"
  std::shared_ptr<hba::hba> hba_;
  bool was_up_ = false;
  std::optional<bool> link_reported_;  // what STMF last heard (report_link)
  uint32_t was_id_ = 0;
  std::unordered_map<uint32_t, rport> rports_;  // by N_Port identifier
  // PLOGIs this port originated, by OX_ID: the remote port asked (bounded).
  std::unordered_map<uint16_t, uint32_t> plogis_;
  uint16_t next_ox_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace stmfd::fc
