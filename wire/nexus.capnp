@0xceeaafecd6e43bd2;
# Registering an I_T nexus (SAM-5 4.6.5): a port provider asks STMF to admit
# one initiator port on one of its local ports, and STMF answers with the
# nexus id, the LUNs the views give that pair, and the identity of the local
# port as LUs report it.
#
# In one process every struct here travels by handle: built once in a pooled
# slot (wire/stream/message_ref.hpp) and read in place by its receiver;
# what cannot be Cap'n Proto (the LU actor handles of a grant, the nexus's
# task-context pool) travels beside it in the same actor message
# (actors/common/fwd.hpp). Across a stream (wire/stream/) a remote port
# sends a NexusRequest as the first frame and the LU side answers with one
# NexusGrant (or, when STMF refuses the nexus, closes the stream); closing
# the stream ends the nexus. A remote grant names LUs by
# name, never by actor handle: a handle cannot cross a process.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire");
using import "lu_event.capnp".LuState;

# The SCSI transport protocol of a port (SPC-4 7.6.1 PROTOCOL IDENTIFIER).
enum Transport {
  iscsi @0;
  fc @1;
}

# The initiator end of a nexus. Set by the port provider from what the
# initiator presented at login.
struct RemotePort {
  transport @0 :Transport;

  initiatorName @1 :Text;
  # The name host groups match: an iSCSI initiator name
  # ("iqn.1993-08.org.debian:01:abcd"), or "wwn.<16 hex digits>" (the WWPN)
  # for Fibre Channel.

  portName @2 :Text;
  # The SCSI initiator port name, unique per I_T nexus: iSCSI
  # "<name>,i,0x<ISID as 12 hex digits>" (RFC 7143 4.2.7), FC the WWPN. A
  # second registration with the same portName on the same local port ends
  # the first nexus (session reinstatement, RFC 7143 6.3.5).
}

# The target end of a nexus, as STMF registered it. Set by STMF from the
# port provider's registration; LUs copy it into VPD page 83h.
struct LocalPort {
  transport @0 :Transport;

  targetName @1 :Text;
  # The name views and target groups match: an iSCSI target name, or
  # "wwn.<16 hex digits>" for Fibre Channel.

  relativePortId @2 :UInt16;
  # SPC-4 RELATIVE TARGET PORT IDENTIFIER, assigned by STMF (unique across
  # providers, from 1).

  targetPortGroup @3 :UInt16;
  # The ALUA target port group (SPC-4 5.15) the port belongs to (iSCSI: the
  # portal group tag until ALUA groups exist).

  designators @4 :Data;
  # The port's designation descriptors for VPD 83h (SPC-4 7.8.6), built by
  # the port provider: target port name, relative port, target port group,
  # target device name. Opaque to STMF and LUs, which copy them.
}

# Port -> STMF: admit this initiator port on this local port.
struct NexusRequest {
  initiator @0 :RemotePort;
  # Who logs in. Set by the port provider.

  relativePortId @1 :UInt16;
  # Which local port the initiator reached, by the identifier STMF assigned
  # it at registration (LocalPort.relativePortId). 0: a port STMF does not
  # know; the nexus is admitted with no LUNs.

  commandWindow @2 :UInt32;
  # The most commands the port lets the initiator have outstanding (iSCSI:
  # MaxCmdSN - ExpCmdSN + 1). STMF sizes the nexus's pool of task contexts
  # from it (at most 256).
}

# One LUN of a nexus's view.
struct LunAssignment {
  lun @0 :UInt64;
  # The LUN number the initiator addresses (SAM-5 4.7 single level:
  # 0..16383), as ScsiTask.lun carries it.

  luName @1 :Text;
  # The LU behind it, by its configured name: stable across LU restarts and
  # meaningful in any process (in one process the grant also carries the
  # LU's actor handle, which no frame does).

  luState @2 :LuState;
  # The LU's state when STMF made the grant (at login, or the new inventory
  # after a change of the views), as a LuStateEvent would report it; later
  # changes come as LuStateEvents. It tells a nexus that logs in while the
  # LU does not serve what its commands get until then: restarting (STMF
  # brings the LU back by itself) NOT READY, BECOMING READY (04h/01h);
  # failed or offline 04h/03h (actors/common/task_actor.cpp). A sender
  # that predates the field reads as online.
}

# STMF -> port: the nexus is admitted.
struct NexusGrant {
  nexus @0 :UInt64;
  # The I_T nexus id, unique for the daemon's life, never 0. The port puts
  # it into every ScsiTask and TaskManagementRequest of the nexus.

  luns @1 :List(LunAssignment);
  # The LUN inventory the views give this (initiator, target) pair when the
  # nexus is admitted; REPORT LUNS answers from it. Order is not meaningful.

  port @2 :LocalPort;
  # The local port the nexus came through, with the identity STMF
  # registered for it. Absent (null) when relativePortId named no port.
}

# STMF -> LU: an I_T nexus can reach the LU now (it registered with a view
# that maps the LU, or the LU started while the nexus was there). The LU
# keeps the identity: its unit attentions and reservations belong to it.
# Every field is set by STMF from the NexusRequest it admitted.
struct NexusAttach {
  nexus @0 :UInt64;
  # NexusGrant.nexus of the nexus.

  initiator @1 :RemotePort;
  # NexusRequest.initiator: the initiator port reservations register
  # (SPC-4 5.9.2) and the name unit attentions are kept for.

  relativePortId @2 :UInt16;
  # NexusRequest.relativePortId: the target port half of the nexus.
}

# The nexus ended (logout, the connection dropped, a reinstatement): from
# the port to STMF (set by the port provider), and from STMF to every LU
# the nexus reached (set by STMF), which drops its unit attentions (the
# nexus's reservation registrations stay: SPC-4 5.9.11 keeps them across
# I_T nexus loss).
struct NexusDetach {
  nexus @0 :UInt64;
  # NexusGrant.nexus of the nexus that ended.
}
