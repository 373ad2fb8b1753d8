@0xa4f1c2e9b7d35a10;
# The admin interface of stmfd (COMSTAR's libstmf, as a Cap'n Proto RPC
# interface). stmfadm, sbdadm and itadm are clients of it; so can any other
# program be.
#
# Transport: Cap'n Proto two-party RPC (rpc-twoparty.capnp) over a stream.
# The daemon serves it on a Unix socket, mode 0600, owned by the user that
# runs stmfd (root in production):
#   root:      /run/stmfd/admin.sock
#   otherwise: $XDG_RUNTIME_DIR/stmfd/admin.sock, or /tmp/stmfd-<uid>/admin.sock
#              when XDG_RUNTIME_DIR is unset
# (`stmfd --admin-socket PATH` and `stmfadm --socket PATH` override it; both
# binaries compute the same default). The bootstrap capability is `Admin`.
# TCP: only when the config's `admin` block sets `listen` (wire/config.capnp
# AdminSettings), and then always TLS (the server presents the configured
# certificate) and a token: the client calls `Admin.authenticate` first
# (stmfadm --connect HOST:PORT --ca FILE --token-file FILE).
#
# Results: every method returns a `Status`. `code = ok` means the request
# was carried out in full and, for a change, is committed: the live daemon
# applies it and the config file (`stmfd --config FILE`) holds it, written
# atomically, so a restart (also after kill -9) comes back with it. Any
# other code means nothing changed: a request is applied entirely or not at
# all. RPC-level exceptions (disconnected, overloaded) mean the outcome is
# unknown; list to find out.
#
# Names: LU, host group and target group names are case-sensitive, made of
# letters, digits, '.', '-', '_' and ':' (at most 64 bytes). Port names
# (iSCSI names: iqn./eui./naa.; Fibre Channel: "wwn." + 16 hex digits)
# compare without case and are kept as written.
#
# Evolution: methods and fields are only ever added. Kinds of LU and port
# that do not exist yet (tape, media changer, FC ports) are union members
# and enum values reserved below, so a client built today decodes a reply
# that lists them (an unknown union member reads as the default member;
# check `kind` first).
#
# Methods marked "not implemented yet" answer `code = notImplemented` with a
# message naming the method, and change nothing.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire::admin");

# Tape library types (admin_library.capnp), same C++ namespace.
using import "admin_library.capnp".ElementPlace;
using import "admin_library.capnp".LibraryInfo;
using import "admin_library.capnp".CartridgeInfo;

# ---------------------------------------------------------------------------
# Outcome of every call

enum ErrorCode {
  ok @0;              # done (and, for a change, committed)
  invalidArgument @1; # a malformed value: bad name, invalid IQN or WWN, size
                      # not a multiple of the block size, LUN above 16383
  notFound @2;        # a named LU, group, view, target or session does not exist
  alreadyExists @3;   # creating something whose name (or GUID) is taken; adding a
                      # member a group already has
  conflict @4;        # the change contradicts the rest: a LUN already taken for
                      # a nexus, a member of another group, a group a view uses
  notImplemented @5;  # the method (or this variant of it) is not served yet
  failed @6;          # the daemon could not carry it out (backing store cannot be
                      # created, config file cannot be written); message says why
  permissionDenied @7;# not authenticated (TCP without a token), or a path outside
                      # the configured data directories
  busy @8;            # another change is being committed; try again
}

struct Status {
  code @0 :ErrorCode;
  message @1 :Text;
  # One sentence for a human, naming the things involved ("there is no host
  # group 'hg1'", "LUN 7 is already used by LU 'a' for ..."). Empty when ok.
}

# ---------------------------------------------------------------------------
# Logical units

enum LuKind {
  disk @0;      # SBC-3 direct access (sbd: file, block device, RAM)
  tape @1;      # SSC sequential access (createTapeDrive; listLus reports them)
  changer @2;   # SMC media changer (createLibrary; listLus reports them)
}

enum LuState {
  online @0;      # serving commands
  offline @1;     # not serving; commands get NOT READY (admin offline, or not startable)
  failed @2;      # not serving; retried with back-off; `reason` says why
  restarting @3;  # its actor died and is being restarted
}

struct DiskBacking {
  # Where a disk LU's blocks live.
  union {
    file @0 :Text;
    # A regular file; relative paths resolve against the config's dataDir.
    # create-lu creates it sparse when missing (thick: allocated in full).
    blockDevice @1 :Text;
    # A block device path (/dev/...). Not created.
    ram @2 :Void;
    # Memory, lost when the daemon stops.
  }
}

struct DiskProperties {
  backing @0 :DiskBacking;
  sizeBytes @1 :UInt64;
  # Capacity. Must be a multiple of blockSize and above 0 (file, RAM); for a
  # block device 0 means the whole device. Errors: invalidArgument.
  blockSize @2 :UInt32 = 512;
  # 512 or 4096 (SBC-3 READ CAPACITY). Errors: invalidArgument.
  writeCache @3 :Bool = true;
  # WCE in the Caching mode page (SBC-3 6.4.5).
  readOnly @4 :Bool = false;
  # Writes answer DATA PROTECT / WRITE PROTECTED.
  thin @5 :Bool = true;
  # true: thin provisioned (the config's thinProvisioning: UNMAP, WRITE
  # SAME with UNMAP, GET LBA STATUS; a file is created sparse). false: fully
  # provisioned; a file is allocated in full when the LU is created (and
  # checked at every start): createLu answers `failed` ("cannot allocate")
  # and keeps nothing when it does not fit.
}

struct LuIdentity {
  guid @0 :Text;
  # COMSTAR's GUID: the NAA IEEE Registered Extended designator (NAA 6,
  # SPC-4 7.8.6.6.5) as 32 hex digits. In a create request, empty means
  # "derive one from the name"; in replies always 32 uppercase hex digits.
  # Errors: invalidArgument (not 32 hex digits starting with 6),
  # alreadyExists (another LU has it).
  vendor @1 :Text;    # INQUIRY T10 VENDOR IDENTIFICATION (<= 8 bytes; empty: "STMFD")
  product @2 :Text;   # INQUIRY PRODUCT IDENTIFICATION (<= 16 bytes; empty: "VDISK")
  serial @3 :Text;    # VPD 80h unit serial number (empty: derived from the name)
  alias @4 :Text;     # a free-form description for humans (COMSTAR's alias)
}

struct LuSpec {
  # What create-lu / import-lu asks for, and what list-lu reports.
  name @0 :Text;
  # The LU's name (see "Names"). Errors: invalidArgument, alreadyExists.
  identity @1 :LuIdentity;
  union {
    disk @2 :DiskProperties;
    tape @3 :Void;     # reserved for SSC LUs (notImplemented)
    changer @4 :Void;  # reserved for SMC LUs (notImplemented)
  }
}

struct LuInfo {
  spec @0 :LuSpec;         # the definition, with every default filled in
  kind @1 :LuKind;
  state @2 :LuState;
  reason @3 :Text;         # why it is not online (empty when online)
  viewCount @4 :UInt32;    # how many views map it
  capacityBytes @5 :UInt64;
  # The size it serves (0 while it is not online). Not reported yet: always
  # 0 today; spec.disk.sizeBytes holds the configured size.
}

# ---------------------------------------------------------------------------
# Host groups, target groups, views (COMSTAR's LUN mapping)

struct Group {
  name @0 :Text;
  members @1 :List(Text);
  # Host group: initiator port names (iqn./eui./naa. or wwn.<16 hex>).
  # Target group: target names (an iSCSI target of the config, or wwn.<16 hex>
  # for an FC port).
}

struct View {
  # An LU is seen at `lun` by every initiator of `hostGroup` through every
  # target of `targetGroup`.
  logicalUnit @0 :Text;  # LU name (addView also accepts its GUID)
  hostGroup @1 :Text;    # empty: all initiators
  targetGroup @2 :Text;  # empty: all targets (unless `target` is set)
  target @3 :Text;
  # Read-only: set for a view that comes from a target's `luns` list in the
  # config (exactly this one target). addView never sets it.
  lun @4 :UInt16;        # 0..16383 (SAM-5 flat space addressing)
  lunAssigned @5 :Bool;
  # In addView: false asks the daemon to pick the lowest LUN free for every
  # nexus the view covers (stmfadm add-view without -n); `lun` is ignored.
}

# ---------------------------------------------------------------------------
# Targets and ports

enum PortKind {
  iscsi @0;         # an iSCSI target (RFC 7143)
  fibreChannel @1;  # reserved: an FC / FCoE local port (FC-FS, FCP)
}

struct Portal {
  address @0 :Text;  # "a.b.c.d:port" or "[v6]:port"
}

struct TargetPortalGroup {
  # itadm create-tpg: a named set of portals; its tag (TPGT) goes to the
  # initiator (RFC 7143 13.9).
  name @0 :Text;
  tag @1 :UInt16;
  portals @2 :List(Portal);
}

struct ChapAuth {
  user @0 :Text;
  secret @1 :Text;   # write-only: never returned by list calls (empty there)
}

struct TargetAuth {
  union {
    none @0 :Void;
    chap @1 :ChapAuth;
    # The initiator must answer with this user/secret; both empty: with the
    # credentials of its initiator record (createInitiator), COMSTAR's way.
    useDefault @3 :Void;
    # itadm -a default: the daemon's default method (modifyDefaults).
  }
  mutual @2 :ChapAuth;  # set: the target proves itself too (mutual CHAP)
}

struct TargetInfo {
  name @0 :Text;        # iSCSI name, or wwn.<16 hex> for FC
  kind @1 :PortKind;
  union {
    iscsi :group {
      alias @2 :Text;
      tpgs @3 :List(TargetPortalGroup);
      auth @4 :TargetAuth;  # secrets blanked in replies
    }
    fibreChannel :group {
      wwnn @5 :Text;        # reserved
      wwpn @6 :Text;        # reserved
    }
  }
  # listTargets fills every field; for an iSCSI target also alias, the
  # portal groups it is bound to (name, tag, portals) and its auth method
  # (secrets blanked; useDefault is reported as the method it resolves to).
  online @7 :Bool;      # accepting logins (setTargetOnline)
  relativePortId @8 :UInt16;  # SPC-4 relative target port identifier
  sessionCount @9 :UInt32;
  targetGroup @10 :Text;      # the target group that lists it (empty: none)
}

struct InitiatorRecord {
  # itadm create-initiator: per-initiator CHAP credentials for mutual auth.
  name @0 :Text;
  chap @1 :ChapAuth;
}

# ---------------------------------------------------------------------------
# Sessions, statistics, events

struct SessionInfo {
  nexus @0 :UInt64;          # the framework's I_T nexus id
  initiatorName @1 :Text;
  initiatorPort @2 :Text;    # e.g. "iqn...,i,0x<ISID>"
  target @3 :Text;
  peer @4 :Text;             # remote address
  parameters @5 :List(KeyValue);  # negotiated login keys (RFC 7143 13)
  luns @6 :List(UInt16);     # the LUNs its view gives it
  # listSessions fills the rest (events leave them unset). What the port
  # provider reports (sessionId, tpgt, connections, parameters, loginTimeNs)
  # is missing when `detailed` is false: its provider did not answer in 2 s.
  sessionId @7 :Text;
  # The transport's session identity: iSCSI "isid=<12 hex>,tsih=<n>"
  # (RFC 7143 4.2.7, 11.12.6); FC "port_id=<6 hex>,wwnn=<16 hex>".
  tpgt @8 :UInt16;           # iSCSI: the target portal group tag of the login
  connections @9 :List(ConnectionInfo);  # iSCSI: its TCP connection(s); FC: none
  loginTimeNs @10 :UInt64;   # CLOCK_REALTIME when the nexus was established
  relativePortId @11 :UInt16;  # SPC-4 relative target port id of its target port
  kind @12 :PortKind;
  detailed @13 :Bool;
}

struct ConnectionInfo {
  cid @0 :UInt16;       # iSCSI CID
  local @1 :Text;       # "address:port" of the target side
  remote @2 :Text;      # "address:port" of the initiator
}

struct KeyValue {
  key @0 :Text;
  value @1 :Text;
}

struct Counters {
  # Totals since the daemon started (an LU's survive its restarts; a target
  # port's include its sessions that ended). Counted where the work happens:
  # an LU counts the commands its shell completed, a session every command
  # of its nexus that got a status (also those the framework answered
  # itself: REPORT LUNS, LUNs with no LU), a target port the sum of its
  # sessions. Commands the port refused before the framework saw them
  # (Reject, bidirectional) and aborted ones are not counted.
  commands @0 :UInt64;
  readBytes @1 :UInt64;        # Data-In bytes of commands that ended GOOD
  writtenBytes @2 :UInt64;     # Data-Out bytes of write commands that ended GOOD
  errors @3 :UInt64;           # commands that ended with CHECK CONDITION
  latencyBucketsUs @4 :List(UInt64);
  # Upper bounds of the histogram buckets in microseconds: 1, 2, 4, ...
  # 2^22; one more count than bounds follows in latencyCounts (slower than
  # the last bound). Latency: from the session layer handing the command to
  # its LU to the LU completing it (framework-answered commands: 0).
  latencyCounts @5 :List(UInt64);     # commands per bucket (not cumulative)
  latencySumNs @6 :UInt64;            # sum of every counted latency
}

struct StatsEntry {
  union {
    lu @0 :Text;            # LU name
    targetPort @1 :Text;    # target name (iSCSI name, or wwn.<16 hex>)
    session @2 :UInt64;     # the I_T nexus id (SessionInfo.nexus)
  }
  counters @3 :Counters;
  initiator @4 :Text;       # session: the initiator port name ("iqn...,i,0x<ISID>")
  target @5 :Text;          # session: its target's name
  relativePortId @6 :UInt16;  # target port and session: SPC-4 relative target port id
}

struct Event {
  timeNs @0 :UInt64;  # CLOCK_REALTIME
  union {
    login @1 :SessionInfo;
    logout @2 :SessionInfo;
    luState :group {
      lu @3 :Text;
      state @4 :LuState;
      reason @5 :Text;
    }
    recovery @6 :Text;  # a recovery the framework made (free text)
  }
  dropped @7 :UInt64;
  # Events this subscriber lost just before this one: its queue (1024
  # events) was full because it read too slowly (drop-oldest). Usually 0.
}

interface EventSink {
  # Implemented by the client; the daemon calls it for every event.
  deliver @0 (event :Event) -> ();
}

# ---------------------------------------------------------------------------
# A whole desired configuration (transactional apply)

struct DesiredConfig {
  json @0 :Text;
  # The configuration in the same JSON form as the config file
  # (wire/config.capnp). Validated exactly as `stmfd --config` would.
}

struct ConfigDiff {
  changes @0 :List(Text);
  # One line per difference: "+ lu NAME", "- lu NAME", "+ host-group G",
  # "+ host-group-member G INITIATOR", "- target-group-member G TARGET",
  # "+ view LU host=HG|* targets=TG|*|target:T lun=N", and "! KEY: ..." for
  # a difference that cannot be applied live.
}

# ---------------------------------------------------------------------------

interface Admin {
  # --- authentication (TCP) -------------------------------------------------
  authenticate @0 (token :Text) -> (status :Status);
  # Over TCP+TLS every other call is refused with permissionDenied ("not
  # authenticated ...") until this call has given the token of the daemon's
  # `admin.tokenFile`. A wrong token answers permissionDenied and ends an
  # earlier authentication of the same connection. The token is compared in
  # constant time. On the Unix socket it is not needed (the socket is 0600)
  # and answers ok.

  # --- logical units -------------------------------------------------------
  listLus @1 (name :Text) -> (status :Status, lus :List(LuInfo));
  # Every LU (name empty) or one (notFound when it does not exist), in
  # creation order, with definition, state and reason.

  createLu @2 (spec :LuSpec) -> (status :Status, guid :Text);
  # sbdadm create-lu: defines the LU, creates its backing file when it is a
  # missing file, starts it, and returns its GUID (32 hex digits). The LU is
  # in no view yet. Errors: invalidArgument (name, size, block size, GUID),
  # alreadyExists (name, GUID or backing path taken), permissionDenied (a
  # path outside dataDir), failed (the store cannot be created, opened or,
  # when thick, allocated; nothing is kept), notImplemented (tape, changer).

  deleteLu @3 (name :Text, keepViews :Bool) -> (status :Status);
  # sbdadm delete-lu: stops the LU and removes it and its views (sessions
  # that saw it get REPORTED LUNS DATA HAS CHANGED). The backing file stays.
  # `name` may also be the GUID. keepViews is reserved (must be false).
  # Errors: notFound.

  modifyLu @4 (name :Text, spec :LuSpec) -> (status :Status);
  # sbdadm modify-lu. `spec` is the LU's whole desired definition (a client
  # lists the LU, changes fields and sends it back); `name` may be the GUID.
  # May differ: disk.sizeBytes (grow only; a file LU grows its backing file
  # online), writeCache, readOnly, thin, identity.vendor, identity.product.
  # spec.name, backing, guid and serial are ignored. Applied live without
  # dropping a session: every nexus of the LU gets CAPACITY DATA HAS
  # CHANGED (2Ah/09h) after a grow, MODE PARAMETERS CHANGED (2Ah/01h) after
  # a write-cache change, INQUIRY DATA HAS CHANGED (3Fh/03h) after a
  # vendor, product or read-only change; then committed to the config file.
  # Errors: notFound, invalidArgument (a smaller size, another block size,
  # a vendor/product the config refuses), notImplemented (growing a RAM or
  # block LU, tape and changer LUs), failed (the file cannot grow). The
  # alias is not stored yet (the config has no key for it).

  importLu @5 (path :Text, name :Text) -> (status :Status, guid :Text);
  # sbdadm import-lu: defines a disk LU over an existing regular file,
  # serving its size rounded down to 512-byte blocks (the config entry says
  # create false: a file gone later is an error, never recreated empty).
  # `path` relative: in dataDir; with symlinks followed it must lie inside
  # dataDir. `name` empty: the file name without its extension. Our backing
  # files carry no metadata, so the GUID is derived from the name (as
  # createLu without a GUID); it is returned. Errors: notFound (no such
  # file), permissionDenied (outside dataDir), invalidArgument (not a
  # regular file, under one block, bad name), alreadyExists (name or file
  # taken), failed (cannot be opened).

  setLuOnline @6 (name :Text, online :Bool) -> (status :Status);
  # stmfadm online-lu / offline-lu. Offline: the LU stops serving; commands
  # to it answer NOT READY; no session is dropped. Online: it starts again
  # (POWER ON unit attention to every nexus). Idempotent. `name` may be the
  # GUID. Errors: notFound. The state is runtime only (a restart brings
  # every LU online).

  # --- host groups and target groups -------------------------------------
  listHostGroups @7 () -> (status :Status, groups :List(Group));
  createHostGroup @8 (name :Text) -> (status :Status);
  # Errors: invalidArgument (name), alreadyExists.
  deleteHostGroup @9 (name :Text) -> (status :Status);
  # Errors: notFound; conflict while a view uses it.
  addHostGroupMember @10 (group :Text, member :Text) -> (status :Status);
  # Errors: notFound (group), invalidArgument (not an iSCSI name or wwn.),
  # alreadyExists (already in this group), conflict (in another host group).
  removeHostGroupMember @11 (group :Text, member :Text) -> (status :Status);
  # Errors: notFound (group, or not a member).

  listTargetGroups @12 () -> (status :Status, groups :List(Group));
  createTargetGroup @13 (name :Text) -> (status :Status);
  deleteTargetGroup @14 (name :Text) -> (status :Status);
  addTargetGroupMember @15 (group :Text, member :Text) -> (status :Status);
  # As for host groups; also conflict when the move would make two views
  # give one nexus the same LUN, and invalidArgument for a target that is
  # neither a configured target nor a wwn. name.
  removeTargetGroupMember @16 (group :Text, member :Text) -> (status :Status);
  # Changing a group's members changes what its views cover: every nexus
  # whose inventory changes gets REPORTED LUNS DATA HAS CHANGED.

  # --- views ---------------------------------------------------------------
  addView @17 (view :View) -> (status :Status, lun :UInt16);
  # stmfadm add-view. Returns the LUN the view got. Applied live: every
  # logged-in nexus the view covers sees the LU at once and gets REPORTED
  # LUNS DATA HAS CHANGED (3Fh/0Eh). Errors: notFound (LU, group),
  # invalidArgument (LUN > 16383, target set), conflict (the LUN or the LU
  # is already mapped for a nexus the view covers; the message names the
  # other view).
  removeView @18 (view :View) -> (status :Status);
  # stmfadm remove-view: the view with exactly these fields (lunAssigned
  # ignored). Affected nexuses get 3Fh/0Eh. Errors: notFound.
  listViews @19 (logicalUnit :Text) -> (status :Status, views :List(View));
  # stmfadm list-view -l LU (empty: every view). Errors: notFound (LU).

  # --- targets (itadm) -------------------------------------------------------
  listTargets @20 () -> (status :Status, targets :List(TargetInfo));
  # stmfadm/itadm list-target -v: every local port with its sessions count.
  # Every change below is committed to the config file (portalGroups,
  # targets, initiators, iscsiDefaults) and applied live: new portals
  # listen at once, sessions of other targets are untouched, new auth
  # applies to new logins. setTargetOnline is runtime only.
  createTarget @21 (target :TargetInfo) -> (status :Status, name :Text);
  # itadm create-target. target.name empty: an IQN is generated under the
  # daemon's naming authority (iqn.2026-11.org.stmfd:<random>) and returned
  # in `name`. iscsi.alias, iscsi.tpgs (by name; none: the portal group
  # "default"), iscsi.auth (none, chap, useDefault; secrets 12..16 bytes).
  # Errors: invalidArgument (bad IQN/EUI/NAA, alias, secret length),
  # alreadyExists (the name is taken), notFound (a portal group), failed.
  modifyTarget @22 (target :TargetInfo, changeAlias :Bool, changeAuth :Bool) -> (status :Status);
  # itadm modify-target: the alias when changeAlias, the auth when
  # changeAuth, the portal groups when iscsi.tpgs is not empty. Errors as
  # createTarget, notFound (the target).
  deleteTarget @23 (name :Text, force :Bool) -> (status :Status);
  # itadm delete-target. A target with sessions is refused (conflict)
  # unless force: its sessions are then asked to log out (Async Message,
  # RFC 7143 11.9.1) and dropped after a few seconds. Its `luns` views go
  # with it, and it leaves the target groups that list it. Errors:
  # notFound, conflict (it has sessions).
  setTargetOnline @24 (name :Text, online :Bool) -> (status :Status);
  # stmfadm online-target / offline-target. Offline: its sessions are asked
  # to log out, logins to it answer Service Unavailable (0x0301) and
  # SendTargets leaves it out until it is online again (or the daemon
  # restarts). Errors: notFound.
  createTpg @25 (tpg :TargetPortalGroup) -> (status :Status);
  # itadm create-tpg NAME ADDR[:PORT]...: tag 0 picks the lowest free tag
  # from 2. Each portal must be a local address (or 0.0.0.0 / [::]) not in
  # another portal group and not taken by another program. Errors:
  # invalidArgument (name, portal syntax, not local), alreadyExists (name,
  # tag), conflict (a portal in use).
  deleteTpg @26 (name :Text) -> (status :Status);
  # itadm delete-tpg. Errors: notFound, conflict (a target is bound to it).
  listTpgs @27 () -> (status :Status, tpgs :List(TargetPortalGroup));
  createInitiator @28 (record :InitiatorRecord) -> (status :Status);
  # itadm create-initiator: CHAP credentials of an initiator (chap.user
  # empty: its name). Errors: invalidArgument (name, secret not 12..16
  # bytes), alreadyExists.
  deleteInitiator @29 (name :Text) -> (status :Status);
  # Errors: notFound.
  setDiscoveryAuth @30 (auth :TargetAuth) -> (status :Status);
  # itadm modify-defaults -D: none, or chap (each initiator answers with
  # its record's credentials; chap's fields are ignored).

  # --- sessions, statistics, events ----------------------------------------
  listSessions @31 (target :Text) -> (status :Status, sessions :List(SessionInfo));
  # stmfadm list-session [TARGET], list-target -v: every I_T nexus
  # registered now (of `target`, matched without regard to case; empty:
  # of every target), ascending by nexus id, with the parameters its
  # transport negotiated: iSCSI HeaderDigest, DataDigest,
  # MaxRecvDataSegmentLength (the initiator's: what the target may send;
  # "TargetMaxRecvDataSegmentLength": what the initiator may send),
  # MaxBurstLength, FirstBurstLength, ImmediateData, InitialR2T,
  # MaxOutstandingR2T, ErrorRecoveryLevel, DataPDUInOrder,
  # DataSequenceInOrder, DefaultTime2Wait, DefaultTime2Retain,
  # MaxConnections; FC the PRLI service parameters. Discovery sessions are
  # no nexus and are not listed. Errors: notFound (no such target), failed
  # (the framework did not answer).
  logoutSession @32 (nexus :UInt64) -> (status :Status);
  # stmfadm logout-session NEXUS: ends the nexus as its transport asks a
  # peer to leave. iSCSI: an Asynchronous Message "target requests logout"
  # (AsyncEvent 1, RFC 7143 11.9.1) with Parameter3 = 3 s, then the
  # connection is dropped if the initiator has not logged out; FC: LOGO.
  # The framework's nexus teardown runs as for any lost nexus (its tasks
  # aborted, reservations' rules). Answered once asked (the session ends
  # within seconds). Errors: notFound (no such nexus), failed.
  statistics @33 () -> (status :Status, entries :List(StatsEntry));
  # Every LU, then every target port, then every live session (stmfadm
  # list-stats). Reading them never slows the data path (the counters are
  # read where their writers keep them). Errors: failed (the framework did
  # not answer).
  subscribe @34 (sink :EventSink) -> (status :Status, handle :Subscription);
  # stmfadm watch. From now on every event (Event: login and logout of an
  # I_T nexus, an LU's state change with its reason, a recovery STMF made:
  # an LU, port provider or io ring restarted) is delivered to `sink`, one
  # deliver() at a time in order, until the client drops `handle` or a
  # deliver() fails. The daemon never waits for a subscriber: events queue
  # per subscriber (at most 1024; beyond, the oldest are dropped and the
  # next delivered event's `dropped` counts them). Errors: failed (the
  # daemon publishes no events).

  # --- transactional apply -------------------------------------------------
  apply @35 (desired :DesiredConfig, dryRun :Bool) -> (status :Status, diff :ConfigDiff);
  # stmfadm apply FILE [--dry-run]; also what SIGHUP does with the config
  # file. Validates the whole configuration as `stmfd --config` would and
  # returns the difference with the committed one in `diff` (also when
  # refused). dryRun: nothing changes. Otherwise it is applied all or
  # nothing, live, through the same paths as the individual verbs: new LUs
  # started (a store that cannot be opened undoes the others: failed), the
  # file written atomically (`desired.json` exactly as given), the mapping
  # pushed (affected nexuses get 3Fh/0Eh), removed LUs stopped. Only the
  # admin plane's keys change live (logicalUnits added or removed,
  # hostGroups, targetGroups, views, targets[].luns); a difference anywhere
  # else ("!" lines: targets, portals, limits, settings, an existing LU's
  # definition) refuses the whole apply with conflict. Errors:
  # invalidArgument (does not validate; the message names the key),
  # conflict (a view conflict, or changes that need a restart), failed.

  # --- ALUA target port groups (SPC-4 5.15) --------------------------------
  listAluaGroups @36 () -> (status :Status, groups :List(AluaGroup));
  # stmfadm list-tpg-alua: every target port group, those the config lists
  # (targetPortGroups) and those a local port names, ascending by id, with
  # the states in force now (SET TARGET PORT GROUPS' included) and ports.

  setAluaState @37 (group :UInt16, state :Text, logicalUnit :Text) -> (status :Status);
  # stmfadm set-alua-state: an implicit transition. `state` is one of
  # "active-optimized", "active-nonoptimized", "standby", "unavailable",
  # "offline", "transitioning". logicalUnit empty: the group's state for
  # every LU (its per-LU states, from the config or from STPG, are
  # dropped); else for that LU only (name or GUID). Written to the config
  # file's targetPortGroups (every group a port names is listed there from
  # then on), then applied live: every LU whose state changed gives every
  # I_T nexus ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h). Errors:
  # invalidArgument (state name, group 0), notFound (group, LU).

  # --- tape libraries (issue 8; SMC-3 media changer, SSC tape drives) --------
  # A library is a media changer LU (provider "smc") with its tape drive LUs
  # (provider "ssc"), slots, import/export elements (the mail slot) and
  # cartridges: files in the tape format (docs/tape-format.md), by default
  # <dataDir>/<library>/<barcode>.cart. A change is checked against the
  # running changer's element map, applied live, then committed (config
  # `libraries`). Every I_T nexus of the changer then gets a unit attention:
  # 28h/01h IMPORT OR EXPORT ELEMENT ACCESSED when a cartridge entered or
  # left through an import/export element, else 28h/00h. While an initiator
  # holds PREVENT ALLOW MEDIUM REMOVAL on the changer, verbs that reach an
  # import/export element (or export) answer conflict. The changer LU must
  # be online for changes (conflict otherwise). The new LUs are in no view
  # (addView them; map drives at increasing LUNs in element order).

  listLibraries @38 (name :Text) -> (status :Status, libraries :List(LibraryInfo));
  # Every library (name empty) or one (notFound), with its element map.

  createLibrary @39 (name :Text, changer :Text, slots :UInt32, importExport :UInt32) -> (status :Status);
  # A library with no drives and no cartridges; `changer` names its changer
  # LU (empty: "<name>-changer"). Errors: invalidArgument (name, slots not
  # 1..4096, importExport above 240), alreadyExists (library or LU name).

  deleteLibrary @40 (name :Text, force :Bool) -> (status :Status);
  # Removes the library, its changer and drive LUs and their views; the
  # cartridge files stay. Errors: notFound, conflict (a drive holds a
  # cartridge and force is false).

  createTapeDrive @41 (name :Text, library :Text, path :Text, sizeBytes :UInt64, barcode :Text)
      -> (status :Status, guid :Text);
  # library set: a new drive of that library, the next data transfer element
  # (path, sizeBytes and barcode must be empty). library empty: a
  # standalone drive whose cartridge is `path` (relative: in dataDir;
  # created blank with sizeBytes and barcode when missing). Errors:
  # invalidArgument, alreadyExists, notFound (library), permissionDenied
  # (path outside dataDir).

  deleteTapeDrive @42 (name :Text, force :Bool) -> (status :Status);
  # Removes a tape drive LU and its views. Errors: notFound, invalidArgument
  # (not a tape drive), conflict (a library drive holding a cartridge, or a
  # standalone drive with its cartridge loaded, and force false; forced, a
  # library drive's cartridge goes back to its slot).

  createCartridge @43 (library :Text, barcode :Text, sizeBytes :UInt64, place :ElementPlace) -> (status :Status);
  # A blank cartridge file <dataDir>/<library>/<barcode>.cart of that
  # capacity, put into `place` (default: the first empty slot). The barcode
  # is the SMC-3 volume tag: letters, digits, '-', '_', '.', at most 32
  # bytes. Errors: notFound (library), invalidArgument (barcode, size not
  # 1 MiB..16 TiB, element out of range), alreadyExists (barcode in a
  # library, the file exists), conflict (element full, no empty slot, as
  # many cartridges as slots).

  importCartridge @44 (library :Text, path :Text, place :ElementPlace) -> (status :Status, barcode :Text);
  # A cartridge file that exists (relative: in dataDir; it must lie inside
  # dataDir) enters the library with the barcode and capacity its header
  # holds, into `place` (default: the first empty import/export element, a
  # slot when the library has none). Errors: as createCartridge, plus
  # notFound (no file), permissionDenied, invalidArgument (not a cartridge).

  exportCartridge @45 (barcode :Text) -> (status :Status, path :Text);
  # The cartridge leaves its library (from a slot or import/export element);
  # its file stays, at `path`. Errors: notFound, conflict (loaded in a
  # drive: move it to a slot first; import/export locked).

  listCartridges @46 (library :Text) -> (status :Status, cartridges :List(CartridgeInfo));
  # Every cartridge of every library (library empty) or of one (notFound).

  setCartridgeWriteProtect @47 (barcode :Text, writeProtect :Bool) -> (status :Status);
  # Sets the cartridge header's write-protect flag (drives then answer DATA
  # PROTECT / WRITE PROTECTED). Errors: notFound, conflict (loaded in a
  # drive), failed (the file cannot be written).

  # --- Fibre Channel ports (COMSTAR's fcinfo) -------------------------------
  listFcPorts @48 () -> (status :Status, ports :List(FcPortInfo));
  # stmfadm list-fc-port: every FC local port the daemon serves, in config
  # order, as its provider sees it now (link state, N_Port ID) with the
  # remote ports logged in to it. No FC ports: an empty list. Errors:
  # failed (the framework did not answer).

  # --- fault injection (issue 10; for system tests) -----------------------
  # Served on the Unix socket only (0600: the daemon's own user, root for an
  # installed daemon); over TCP every call answers permissionDenied. The
  # points, their actions and how a point fires are io/faults.hpp's.
  injectFault @49 (fault :FaultSpec) -> (status :Status);
  # stmfadm inject-fault: arms one point (arming it again replaces the spec
  # and restarts its pass count). Errors: notFound (no such point),
  # invalidArgument (an action the point does not support, percent outside
  # 1..100, after 0).

  listFaults @50 () -> (status :Status, points :List(FaultPoint));
  # stmfadm list-faults: every point, armed or not, with its firings.

  clearFaults @51 (point :Text) -> (status :Status);
  # stmfadm clear-faults: disarms one point (notFound when unknown), or
  # every point when empty. Firing counts are kept.

  # --- itadm (continued) -----------------------------------------------------
  modifyInitiator @52 (record :InitiatorRecord) -> (status :Status);
  # itadm modify-initiator: replaces the record's CHAP user and secret.
  # Errors: notFound, invalidArgument.
  listInitiators @53 () -> (status :Status, initiators :List(InitiatorRecord));
  # Secrets blanked; chap.user as configured (empty: the name).
  modifyDefaults @54 (defaults :TargetDefaults) -> (status :Status);
  # itadm modify-defaults -a / -D (an empty field: unchanged). Errors:
  # invalidArgument.
  listDefaults @55 () -> (status :Status, defaults :TargetDefaults);
}

struct FcPortInfo {
  # One FC local port (fcinfo hba-port). Names are 16 lower-case hex digits.
  target @0 :Text;          # its target name, "wwn.<WWPN>" (as target groups list it)
  wwpn @1 :Text;            # port name
  wwnn @2 :Text;            # node name
  interface @3 :Text;       # the HBA: an Ethernet interface for FCoE, a loopback pair's name
  driver @4 :Text;          # "fcoe" (VN2VN) or "loopback"
  state @5 :Text;
  # "online" (link up, an N_Port ID held), "offline" (the interface is
  # there, no link or no ID yet), "absent" (no such interface yet: the port
  # waits for it).
  portId @6 :UInt32;        # its N_Port identifier (24 bits); 0 unless online
  relativePortId @7 :UInt16;  # SPC-4 RELATIVE TARGET PORT IDENTIFIER
  remotePorts @8 :List(FcRemotePortInfo);
}

struct FcRemotePortInfo {
  # A remote port logged in to the local port (PLOGI; fcinfo remote-port).
  wwpn @0 :Text;            # 16 hex digits; host groups name it wwn.<wwpn>
  wwnn @1 :Text;
  portId @2 :UInt32;        # its N_Port identifier
  nexus @3 :UInt64;
  # The framework's I_T nexus id (as listSessions and the statistics name
  # it) once PRLI established the FCP image pair; 0 while logged in without
  # one.
}


struct FaultSpec {
  point @0 :Text;     # a point's name, e.g. "lu_execute", "io_file"
  action @1 :Text;    # "crash", "delay", "eio", "enospc", "short", "reset",
                      # "stall"; empty: the point's first action
  after @2 :UInt32;   # first pass that may fire (1 = the next; 0 means 1)
  times @3 :UInt32;   # firings before the point disarms itself; 0 = until cleared
  percent @4 :UInt32; # chance per eligible pass, 1..100 (0 means 100)
  seed @5 :UInt64;    # seeds the chance draws: the same seed fires on the same passes
  delayMs @6 :UInt32; # delay / stall length (0 means 500)
  match @7 :Text;     # non-empty: only passes by this subject (an LU name) count
}

struct FaultPoint {
  name @0 :Text;
  actions @1 :List(Text);  # the actions the point supports, the default first
  armed @2 :Bool;
  spec @3 :FaultSpec;      # the spec it was last armed with (when armed)
  passes @4 :UInt64;       # passes counted since it was last armed
  firings @5 :UInt64;      # firings since the daemon started
}


struct TargetDefaults {
  auth @0 :Text;           # "none" or "chap": what useDefault resolves to
  discoveryAuth @1 :Text;  # "none" or "chap"
}

struct AluaGroup {
  id @0 :UInt16;       # TARGET PORT GROUP
  name @1 :Text;       # from the config; may be empty
  state @2 :Text;      # the state for every LU without an exception
  luStates @3 :List(AluaLuState);  # the exceptions
  ports @4 :List(AluaPort);        # the local ports in the group
  effectiveState @5 :Text;
  # Issue 7: `state` as initiators see it through the other groups' ports
  # now: "offline" when the group has ports and every one is down (offline
  # by the administrator, or its link down: AluaPort.up), else `state`.
}

struct AluaLuState {
  logicalUnit @0 :Text;
  state @1 :Text;
  byStpg @2 :Bool;     # set by SET TARGET PORT GROUPS (not in the config file)
}

struct AluaPort {
  target @0 :Text;             # the port's target name (iSCSI name or wwn.)
  relativePortId @1 :UInt16;   # RELATIVE TARGET PORT IDENTIFIER
  up @2 :Bool;                 # issue 7: online (online-target) and its link up
}

interface Subscription {
  # Dropping the last reference ends the subscription.
}
