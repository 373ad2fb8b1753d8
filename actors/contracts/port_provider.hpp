#pragma once
// The port provider contract (COMSTAR's portif.h, in our own words),
// interface version 3. A port provider (iSCSI today, Fibre Channel next)
// registers its local ports, and for each I_T nexus it runs one actor that
// hosts the framework's session layer (actors/session/nexus_session.hpp).
// Every message it exchanges is a Cap'n Proto struct of wire/ passed by
// handle (actors/common/fwd.hpp, docs/messages.md). That actor:
//  - registers the nexus with STMF (login_atom, a NexusRequest) and learns
//    its nexus id and LUN inventory (a NexusGrant, the LU actors and the
//    task pool beside it); deregisters it (logout_atom, a NexusDetach) when
//    the nexus ends;
//  - posts each command through the session layer with the raw 8-byte LUN
//    field, CDB, task attribute, expected length and direction, and its own
//    transport tag; it never looks up a LUN or builds SCSI data itself;
//  - moves the data the framework asks for ((xfer_atom, task_ptr) with a
//    DataTransferRequest in the task's transfer slot, answered with a
//    DataTransferCompletion in the same slot) and sends the status the task
//    ends with (done_atom, task_ptr), or sends nothing for a task the
//    framework reports aborted (SAM-5 5.6, TAS=0);
//  - passes task management requests to the session layer (a
//    TaskManagementRequest) and answers the initiator from the
//    TaskManagementResponse it gets back, which comes only once every
//    affected command has stopped touching the medium.
// Version 3 (the messages became Cap'n Proto structs): nexus_request,
// logout, xfer_atom's request and answer, task management and lu_update
// changed form; what a provider must do did not.
// STMF supervises the provider's actor: if it fails, its nexuses go with it
// and STMF starts it again.
// Optional, added in version 3 (additive): a provider that sets
// port_provider::answers_port_details answers (get_atom, port_detail_atom)
// from STMF with a port_detail_list, the live state of its local ports and
// of the remote ports logged in to them, for the admin plane (COMSTAR's
// fcinfo hba-port / remote-port). STMF asks no other provider.
// Optional, added for issue 7 (additive): a provider whose local ports have
// a link that comes and goes (FC: the HBA's link, an FCoE interface down or
// absent) sends STMF (port_link_atom, relative_port_id, bool up) when the
// port's actor starts and on every change. STMF keeps it in
// local_port::link_up; a target port group whose ports are all down is then
// offline as seen through the other groups' ports (SPC-4 5.15.2.4.7), with
// ASYMMETRIC ACCESS STATE CHANGED to their nexuses. A report naming a port
// the registry no longer has is ignored.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/local_actor.hpp>

#include "actors/contracts/port_identity.hpp"
#include "io/ring.hpp"
#include "wire/config.capnp.h"

namespace stmfd {

constexpr uint32_t port_interface_version = 3;

// What STMF hands a provider's spawn function (set by the framework).
struct port_start {
  std::shared_ptr<io::ring> ring;  // the ring the provider's sockets / queues use
  caf::actor stmf;                 // where nexuses register
  // The provider's local ports with their relative port identifiers filled in.
  const std::vector<local_port>& ports;
};

// (get_atom, port_detail_atom) -> port_detail_list (see above).
using port_detail_atom = caf::atom_constant<caf::atom("port_dtl")>;
// (port_link_atom, uint16_t relative_port_id, bool up): provider -> STMF (see above).
using port_link_atom = caf::atom_constant<caf::atom("port_link")>;

// A remote port logged in to a local port (FC: N_Port login, PLOGI). Every
// field is set by the provider.
struct remote_port_detail {
  std::string port_name;  // the name host groups match: "wwn.<16 hex>" (its WWPN) for FC
  std::string node_name;  // FC: "wwn.<16 hex>", the WWNN of its PLOGI
  uint32_t address = 0;   // FC: its N_Port identifier (24 bits)
  // The framework's I_T nexus id while a nexus is registered (FC: after
  // PRLI established the image pair); 0 for a login with no nexus.
  uint64_t nexus = 0;
};

// One local port as its provider sees it now. Every field is set by the
// provider.
struct local_port_detail {
  std::string target_name;  // the local_port's target_name ("wwn.<WWPN>" for FC)
  std::string node_name;    // FC: "wwn.<16 hex>", the WWNN
  std::string interface;    // the HBA it is bound to (FCoE: the Ethernet interface)
  std::string driver;       // FC: "fcoe" or "loopback"
  // "online" (link up, an address held), "offline" (the HBA is there, its
  // link is down), "absent" (the interface does not exist yet).
  std::string state;
  uint32_t address = 0;  // FC: the N_Port identifier it holds (0 unless online)
  std::vector<remote_port_detail> remotes;
};
using port_detail_list = std::vector<local_port_detail>;

struct port_provider {
  std::string name;  // "iscsi", "fc"
  uint32_t version = port_interface_version;
  // The local ports the provider serves, known at registration (from the
  // config). relative_port_id is 0 here: the registry assigns it.
  std::vector<local_port> ports;
  std::function<caf::actor(caf::local_actor& stmf, const port_start&)> spawn;
  // Rebuilds `designators` once relative_port_id is known (the provider
  // knows its transport's designator forms). Called by the registry.
  std::function<void(local_port&)> describe;
  // Set by the provider: its actor answers (get_atom, port_detail_atom).
  bool answers_port_details = false;
  // Set by the provider (additive to version 3): its actor gives up every
  // endpoint a successor would take (an iSCSI listener leaves the LISTEN
  // state) before it terminates, i.e. in on_exit, which CAF runs before the
  // down message goes out. STMF then starts a replacement for a failed
  // actor as soon as it hears of the failure; false: after a pause
  // (port_restart_pause, 200 ms) for the old endpoints to go.
  bool restart_at_once = false;

  // Live changes (issue 6, additive to version 3; both null: the
  // provider's ports are fixed until the daemon restarts).
  //
  // reconfigure: called by STMF (on its thread) with a newly committed
  // configuration. The provider rebuilds its definitions from it (a later
  // spawn uses them) and returns the local ports it serves from now on,
  // relative_port_id 0: the registry keeps the identifier of a port whose
  // target_name it knew, assigns new ones, and never reuses the
  // identifier of a port that went away.
  std::function<std::vector<local_port>(wire::cfg::Config::Reader cfg)> reconfigure;
  // update: called by STMF after reconfigure, or after a port's `online`
  // changed, with the provider's running actor (null while it restarts:
  // the next spawn reads the same state) and its ports (identifiers and
  // `online` set by the framework). The provider tells its actor: new
  // portals listen, removed ones close, nexuses through a port that is
  // gone or offline are logged out; every other nexus is untouched.
  std::function<void(caf::local_actor& stmf, const caf::actor& running, const std::vector<local_port>& ports)> update;
};

}  // namespace stmfd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::local_port_detail)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(stmfd::port_detail_list)
