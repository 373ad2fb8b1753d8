@0xdfdf3b35d6b8c811;
# The daemon's configuration: what stmfd serves and how (COMSTAR keeps this
# in its SMF repository; we keep it in one JSON file).
#
# The file is JSON whose keys are the camelCase field names below. It is
# decoded by wire/config/loader.hpp, which:
#   - rejects keys that are not declared here, naming the key and its path;
#   - checks every value's JSON type and the annotations below ($required,
#     $range, $oneOf, $maxBytes) before Cap'n Proto's JsonCodec sees it;
#   - runs the cross-field checks written next to each field ("checked:");
#   - fills in the derived defaults ("filled in:") and resolves relative
#     paths, so that a reader of the loaded Config never has to.
# Every default written here is the value a consumer reads when the key is
# absent from the file. 64-bit integers may be written as JSON numbers (up to
# 2^53) or as decimal strings.
#
# Evolution: JSON names, not ordinals, are the file format. New keys may be
# added at any time (old files stay valid); a key is never renamed or given
# a new meaning.
#
# Access control is COMSTAR's LUN mapping (stmfadm): an initiator logged in
# to a target sees the LUs of every view that covers both, at the view's
# LUN. A view covers a set of initiators (a host group, or all) and a set of
# targets (a target group, or all). A Target's `luns` list is a shorthand
# for views through that one target for all hosts.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire::cfg");

# ---------------------------------------------------------------------------
# Annotations read by the loader through schema reflection. They make the
# schema the single place where a field's constraints are stated.

annotation required @0xe074e4311fd5c5d1 (field) :Void;
# The key must be present (and, for Text, non-empty).

annotation range @0xe81c924cd7ce010c (field) :Range;
# An integer field's inclusive bounds.
struct Range {
  min @0 :UInt64;
  max @1 :UInt64;
}

annotation oneOf @0xf0eb1d86595643ee (field) :List(Text);
# A Text field's only accepted values.

annotation maxBytes @0xd18d49bba7c89ba7 (field) :UInt32;
# A Text field's maximum length in bytes (UTF-8).

# The ids above, for the loader (annotations generate no C++ names).
const requiredId :UInt64 = 0xe074e4311fd5c5d1;
const rangeId :UInt64 = 0xe81c924cd7ce010c;
const oneOfId :UInt64 = 0xf0eb1d86595643ee;
const maxBytesId :UInt64 = 0xd18d49bba7c89ba7;

# ---------------------------------------------------------------------------

struct Config {
  dataDir @0 :Text = "/var/lib/stmfd" $maxBytes(4095);
  # Directory for LU backing files given by relative path (and, later, the
  # persisted state). A relative dataDir resolves against the directory of
  # the config file. Filled in: always an absolute, lexically normal path.
  # The loader does not create it; the LU provider does when it needs it.

  logLevel @1 :Text = "info" $oneOf(["error", "warn", "info", "debug"]);
  # Least severe message written to the log.

  threads @2 :Threads;
  # How many threads run the daemon. Absent: all defaults.

  iscsi @3 :IscsiSettings;
  # Operational parameters offered by every iSCSI target in this file during
  # login negotiation (RFC 7143 13), plus the target's own timers.

  targets @4 :List(Target);
  # The iSCSI targets (COMSTAR: itadm create-target). Checked: names are
  # unique (compared without case, as RFC 3722 stringprep folds case).

  logicalUnits @5 :List(LogicalUnit);
  # The logical units (COMSTAR: sbdadm create-lu / stmfadm create-lu).
  # Checked: names unique, guids unique, no two LUs on one backing path.

  hostGroups @6 :List(HostGroup);
  # Named sets of initiators that views grant LUs to (COMSTAR: stmfadm
  # create-hg / add-hg-member). Checked: names unique; an initiator is a
  # member of at most one host group (COMSTAR's rule; it keeps views of two
  # different host groups from ever covering the same initiator).

  targetGroups @7 :List(TargetGroup);
  # Named sets of targets that views grant LUs through (COMSTAR: stmfadm
  # create-tg / add-tg-member). Checked: names unique; a target is a member
  # of at most one target group (COMSTAR's rule, as for host groups).

  views @8 :List(View);
  # Which initiators see which LU at which LUN through which targets
  # (COMSTAR: stmfadm add-view). An initiator logged in to a target sees
  # the union of every view that covers both, plus the `luns` of that
  # target. Checked here: each view names an existing LU and existing
  # groups. Checked when the daemon builds its LUN map (mapping_from_config
  # in actors/model/mapping.hpp): no two views that can cover the same
  # initiator and target give the same LUN or the same LU, counting each
  # Target's `luns` as views through that target for all hosts.

  limits @9 :Limits;
  # What peers can make the daemon hold (architecture.md "Resources").
  # Absent: all defaults.

  fcPorts @10 :List(FcPort);
  # Fibre Channel target ports (COMSTAR: fct local ports on qlt/fcoet
  # HBAs), served by the FC port provider (plugins/port/fc). Each is a
  # target named "wwn.<its WWPN>": views reach it through a targetGroup
  # listing that name (or through no target group: every target). Checked:
  # WWPNs unique among the FC ports, names valid (see FcPort).

  targetPortGroups @11 :List(TargetPortGroup);
  # ALUA target port groups (SPC-4 5.15; COMSTAR keeps ALUA in STMF): each
  # local port belongs to one group (Target.targetPortGroup,
  # FcPort.targetPortGroup), and each group has an asymmetric access state
  # for every LU, optionally overridden per LU. Absent or empty: every
  # group a port names is active/optimized (the behaviour before ALUA).
  # Checked: ids unique, names unique; when the list is not empty, every
  # target's and FC port's group is listed. `stmfadm set-alua-state`
  # rewrites this list (SET TARGET PORT GROUPS from initiators does not:
  # those changes last until the daemon restarts).

  libraries @12 :List(Library);
  # Virtual tape libraries (issue 8): each a media changer LU (provider
  # "smc") with tape drive LUs (provider "ssc") and cartridges it moves
  # between its slots, import/export elements and drives. See Library.
  # Standalone tape drives (an "ssc" LU no library names) keep their own
  # cartridge at their `path`.

  admin @13 :AdminSettings;
  # Remote access to the admin interface (wire/admin.capnp). Absent or
  # without `listen`: only the Unix socket (stmfd --admin-socket) serves it.

  metrics @14 :Metrics;
  # The Prometheus text endpoint (see Metrics). Absent: off.

  portalGroups @15 :List(PortalGroup);
  # iSCSI target portal groups (COMSTAR: itadm create-tpg): named sets of
  # portals with their tag (TPGT) that targets bind to (Target.portalGroups).
  # Checked: names unique, tags unique, a portal in at most one group.

  initiators @16 :List(Initiator);
  # Per-initiator CHAP credentials (COMSTAR: itadm create-initiator): the
  # secret an initiator proves it knows when its target's auth method is
  # "chap" without a chapUser of its own, and at discovery when
  # iscsiDefaults.discoveryAuth is "chap". Checked: names unique (case
  # folded), valid iSCSI names.

  iscsiDefaults @17 :IscsiDefaults;
  # Target defaults (COMSTAR: itadm modify-defaults). Absent: all defaults.
}

struct PortalGroup {
  # One iSCSI target portal group (RFC 7143 4.4.1, 13.9): its portals, and
  # the tag initiators see in TargetPortalGroupTag and SendTargets.

  name @0 :Text $required $maxBytes(64);
  # Checked: letters, digits, '.', '-', '_' and ':' only.

  tag @1 :UInt16 $required $range(min = 1, max = 65535);
  # The Target Portal Group Tag.

  portals @2 :List(Text) $required;
  # As Target.portals ("a.b.c.d:port", "[v6]:port", the port defaulting to
  # 3260). Filled in: host:port. Checked: at least one, no duplicates, none
  # listed by another portal group.
}

struct Initiator {
  # The CHAP credentials of one initiator (RFC 7143 12.1.3).

  name @0 :Text $required $maxBytes(223);
  # The initiator's iSCSI name (InitiatorName at login). Checked: a valid
  # iSCSI name.

  chapUser @1 :Text $maxBytes(255);
  # The CHAP_N it answers with. Empty: its iSCSI name.

  chapSecret @2 :Text $maxBytes(255);
  # Its CHAP secret. Checked: at least 12 bytes (RFC 7143 9.2.1). Empty: the
  # initiator has no secret and cannot log in where CHAP is required.
}

struct IscsiDefaults {
  auth @0 :Text = "none" $oneOf(["none", "chap"]);
  # The auth method of targets whose Target.auth.method is "default".

  discoveryAuth @1 :Text = "none" $oneOf(["none", "chap"]);
  # SendTargets discovery sessions (RFC 7143 4.3): "chap" makes every
  # initiator authenticate with its Initiator record's credentials.

  namingAuthority @2 :Text = "iqn.2026-11.org.stmfd" $maxBytes(180);
  # The prefix of target names itadm create-target generates (without -n):
  # "<namingAuthority>:02:<random uuid>". Checked: a valid iqn. name.
}

struct Metrics {
  # GET /metrics in the Prometheus text exposition format (version 0.0.4):
  # the statistics of wire/admin.capnp `statistics` (per LU, target port and
  # session). It has no authentication, so it is served only on a loopback
  # address unless allowRemote says otherwise.
  listen @0 :Text $maxBytes(64);
  # "a.b.c.d:port" or "[v6]:port" (the port is required). Empty: off.
  # Checked: a numeric address with a port; a loopback address (127.0.0.0/8,
  # ::1) unless allowRemote. Filled in: the canonical form.
  allowRemote @1 :Bool = false;
  # true: any address may be given (anyone who reaches it reads the
  # statistics, including initiator names).
}

struct Limits {
  # Bounds on everything a peer can make the daemon hold. When one is
  # reached the target slows initiators down (R2T pacing, a command window
  # that stops opening, receiving paused) or answers new commands with
  # TASK SET FULL / BUSY; it never fails a command it accepted for lack of
  # memory (a command still waiting for its buffer after 5 s ends in BUSY).

  bufferMemory @0 :UInt64 = 268435456 $range(min = 33554432, max = 1099511627776);
  # Bytes of data buffers the whole daemon may hold at once: write data
  # being collected, read data until it is sent, receive buffers of large
  # PDUs, echoed ping data, and the pool's cache of free buffers. Past it
  # buffer requests are refused and the callers wait or answer BUSY. The
  # daemon's resident memory stays below roughly this plus per-connection
  # bookkeeping (about 200 KiB per session).

  sessionBufferMemory @1 :UInt64 = 0 $range(min = 0, max = 1099511627776);
  # Bytes of write and read data buffers one session may hold for its
  # commands in progress. A session holding none may always take one
  # buffer (subject to bufferMemory), so one command of any size can run.
  # 0: a quarter of bufferMemory (filled in). Checked: at least 1048576
  # and not above bufferMemory.

  maxConnections @2 :UInt32 = 256 $range(min = 1, max = 65536);
  # Connections open at once, logged in or not, over all portals. Sockets
  # accepted beyond it are closed at once (and logged).

  maxLoggingIn @3 :UInt32 = 32 $range(min = 1, max = 65536);
  # Of those, connections still in the login phase (each holds a 16 KiB
  # receive buffer until loginTimeout drops it). Filled in: lowered to
  # maxConnections when above it.

  maxSendBacklog @4 :UInt32 = 4194304 $range(min = 65536, max = 1073741824);
  # Bytes queued on one connection that the initiator has not read yet.
  # Past it the target stops reading that connection's requests until it
  # drains; responses already queued are never dropped.

  dataOutTimeout @5 :UInt32 = 20 $range(min = 1, max = 50);
  # Seconds a WRITE may wait for Data-Out the target asked for (an R2T's
  # data, or the rest of an unsolicited first burst) without any arriving.
  # Past it the command ends with CHECK CONDITION, ABORTED COMMAND,
  # INITIATOR RESPONSE TIMEOUT (4Bh/06h) without touching the medium, and
  # the initiator may retry it; Data-Out for it that comes later is
  # discarded. Below the LU's own 60 s limit, and below the usual 30 s
  # command timeout of initiators, so the initiator hears why.
}

struct Threads {
  workers @0 :UInt32 = 1 $range(min = 1, max = 256);
  # CAF scheduler worker threads that run the actors.

  rings @1 :UInt32 = 1 $range(min = 1, max = 64);
  # io_uring rings, each on its own thread outside the scheduler. On a
  # 2-core machine 1 worker + 1 ring measured best. The port provider uses
  # the first ring; LUs are spread over all of them.

  ringSpinUs @2 :UInt32 = 50 $range(min = 0, max = 10000);
  # Microseconds a ring thread keeps polling for work before it sleeps.
  # Saves a thread wake-up per request when I/O comes one at a time (QD 1
  # latency; measured 7 K -> 10-12 K IOPS on the 2-core VM), at the price of
  # that much CPU after each burst. 0 = always sleep at once.
}

struct IscsiSettings {
  # The first eight fields are the target's offered/limit values of the
  # RFC 7143 login keys of the same name; the ranges are the RFC's.

  maxRecvDataSegmentLength @0 :UInt32 = 262144 $range(min = 512, max = 16777215);
  # Bytes of data the target accepts in one PDU (RFC 7143 13.12), declared
  # by the target in its login response.

  maxBurstLength @1 :UInt32 = 1048576 $range(min = 512, max = 16777215);
  # Most solicited + unsolicited data bytes in one sequence (13.13).

  firstBurstLength @2 :UInt32 = 65536 $range(min = 512, max = 16777215);
  # Most unsolicited data bytes per command (13.14).
  # Checked: not above maxBurstLength (RFC 7143 13.14).

  immediateData @3 :Bool = true;
  # Whether data may ride in the SCSI Command PDU (13.11).

  initialR2T @4 :Bool = false;
  # true: no unsolicited Data-Out PDUs, the target must send R2T (13.10).

  maxOutstandingR2T @5 :UInt32 = 1 $range(min = 1, max = 65535);
  # R2Ts in flight per task (13.17).

  defaultTime2Wait @6 :UInt32 = 2 $range(min = 0, max = 3600);
  # Seconds an initiator waits before reconnecting after a drop (13.15).

  defaultTime2Retain @7 :UInt32 = 0 $range(min = 0, max = 3600);
  # Seconds the target keeps a dropped connection's tasks for recovery
  # (13.16). 0: tasks are not kept (no connection recovery).

  cmdWindow @8 :UInt32 = 128 $range(min = 1, max = 65536);
  # Commands the target queues per session: MaxCmdSN - ExpCmdSN + 1 in its
  # responses (RFC 7143 4.2.2.1).

  nopInInterval @9 :UInt32 = 30 $range(min = 0, max = 3600);
  # Seconds of silence on a connection before the target pings it with a
  # NOP-In (RFC 7143 11.19). 0: never.

  nopInTimeout @10 :UInt32 = 30 $range(min = 1, max = 3600);
  # Seconds the target waits for the NOP-Out answer to its ping before it
  # drops the connection. Unused when nopInInterval is 0.

  loginTimeout @11 :UInt32 = 15 $range(min = 1, max = 3600);
  # Seconds a connection may take from accept to Full Feature Phase before
  # the target drops it.
}

struct Target {
  name @0 :Text $required $maxBytes(223);
  # The iSCSI target name (RFC 7143 4.2.7): "iqn.YYYY-MM.reversed.domain[:x]",
  # "eui." + 16 hex digits, or "naa." + 16 or 32 hex digits. At most 223
  # bytes. Checked: iqn names in lowercase ASCII letters, digits, '-', '.'
  # and ':' (the form RFC 3722 stringprep produces), with a valid date.

  alias @1 :Text $maxBytes(255);
  # TargetAlias (RFC 7143 13.6): a human-readable name sent at login.
  # Empty: none is sent.

  portals @2 :List(Text);
  # Addresses the target listens on, each "a.b.c.d:port" or "[v6]:port"
  # ("0.0.0.0:3260" and "[::]:3260" are every address). The port may be
  # left out for 3260 (RFC 7143 4.2.7.1 well-known port). Filled in: each
  # entry is rewritten as host:port; with portalGroups, the portals of
  # those groups. Checked: no duplicates; a target has either portals or
  # portalGroups (one of them, not empty).

  tpgt @3 :UInt16 = 1;
  # Target Portal Group Tag (RFC 7143 13.9) of the portal group that
  # `portals` forms.

  auth @4 :Auth;
  # How initiators must authenticate. Absent: no authentication.

  luns @5 :List(LunMapping);
  # LUNs every initiator logged in to this target sees: each entry is a
  # view of that LU at that LUN for all hosts through this target only.
  # Checked: LUN numbers unique within the target, each LU mapped at most
  # once, each logicalUnit names an entry of Config.logicalUnits; and, with
  # the views, the conflict rule of Config.views.

  targetPortGroup @6 :UInt16 = 0;
  # The ALUA target port group (Config.targetPortGroups) the target's port
  # belongs to, reported in VPD 83h and REPORT TARGET PORT GROUPS. Filled
  # in: 0 (absent) becomes `tpgt`, the group each target had before ALUA.

  # Reserved: `iscsi :IscsiSettings` to override the global settings for
  # one target. (A target joins a target group through TargetGroup.members.)

  portalGroups @7 :List(Text);
  # Names of Config.portalGroups the target is served through (COMSTAR:
  # itadm create-target -t). Filled in: `portals` (their union) and `tpgt`
  # (the first group's tag). Checked: each names a portal group, once.
}

struct TargetPortGroup {
  # One ALUA target port group (SPC-4 5.15.2): the ports that name it share
  # one asymmetric access state per LU.

  id @0 :UInt16 $required $range(min = 1, max = 65535);
  # The TARGET PORT GROUP number (VPD 83h, REPORT TARGET PORT GROUPS).

  name @1 :Text $maxBytes(64);
  # A name for operators (stmfadm list-tpg-alua); may be empty. Checked:
  # letters, digits, '.', '-', '_' and ':' only; unique among the groups.

  state @2 :Text = "active-optimized"
      $oneOf(["active-optimized", "active-nonoptimized", "standby", "unavailable", "offline", "transitioning"]);
  # The asymmetric access state of the group for every LU (SPC-4 5.15.2.4):
  # active-optimized and active-nonoptimized serve every command; standby
  # answers the commands SPC-4 allows there and NOT READY 04h/0Bh to the
  # rest; unavailable 04h/0Ch; transitioning 04h/0Ah; offline (a port
  # taken down for maintenance) 04h/12h.

  luStates @3 :List(LuAccessState);
  # Per-LU exceptions to `state`. Checked: each names an entry of
  # Config.logicalUnits, at most once.
}

struct LuAccessState {
  logicalUnit @0 :Text $required;
  # The LU's name.

  state @1 :Text $required
      $oneOf(["active-optimized", "active-nonoptimized", "standby", "unavailable", "offline", "transitioning"]);
  # Its asymmetric access state in the group (as TargetPortGroup.state).
}

struct FcPort {
  wwpn @0 :Text $required;
  # World Wide Port Name (FC-FS-4 19): 16 hex digits, written plain
  # ("500a0b0c0d0e0f01"), with a "wwn." prefix, or as 8 colon-separated
  # bytes ("50:0a:0b:0c:0d:0e:0f:01"). Filled in: "wwn." and 16 lower-case
  # hex digits. Checked: not all zero.

  wwnn @1 :Text $required;
  # World Wide Node Name of the port's node (the target device's name in
  # VPD page 83h), in the same forms as wwpn. Checked: not all zero.

  interface @2 :Text $required $maxBytes(15);
  # The HBA the port uses: for driver "fcoe" the Ethernet interface (it may
  # not exist yet when the daemon starts; the port waits for it), for
  # "loopback" the name of an in-process loopback pair (tests). Checked:
  # 1-15 bytes, no '/', whitespace or ':' (Linux IFNAMSIZ).

  driver @3 :Text = "fcoe" $oneOf(["loopback", "fcoe"]);
  # "fcoe": FCoE VN2VN on a raw Ethernet interface (FC-BB-6: the port
  # claims a port ID with FIP and serves FCP over FCoE; the frame data field
  # follows the interface's MTU, 2112 bytes from MTU 2158 up); "loopback":
  # an in-process HBA pair for tests.

  targetPortGroup @4 :UInt16 = 1 $range(min = 1, max = 65535);
  # The target port group (ALUA) the port belongs to, reported in VPD 83h.
}

struct Auth {
  # Login authentication (RFC 7143 12.1.3, CHAP with MD5 per RFC 1994).

  method @0 :Text = "none" $oneOf(["none", "chap", "default"]);
  # "none": AuthMethod=None. "chap": the initiator must answer the target's
  # CHAP challenge with chapUser/chapSecret, or, when both are empty, with
  # the credentials of its Config.initiators record (COMSTAR's model; an
  # initiator without one is refused). "default": iscsiDefaults.auth
  # (filled in).

  chapUser @1 :Text $maxBytes(255);
  # The CHAP_N the initiator must send. Checked: chapUser and chapSecret
  # come together.

  chapSecret @2 :Text $maxBytes(255);
  # The secret the initiator proves it knows. Checked: required with
  # "chap", at least 12 bytes: RFC 7143 9.2.1 demands IPsec for secrets of
  # fewer than 96 random bits and stmfd has no IPsec. (Windows and illumos
  # initiators accept at most 16 bytes.)

  mutualUser @3 :Text $maxBytes(255);
  # Set for mutual CHAP: the CHAP_N the target answers the initiator's
  # challenge with. Checked: mutualUser and mutualSecret come together.

  mutualSecret @4 :Text $maxBytes(255);
  # The secret the target proves it knows. Checked: at least 12 bytes, and
  # different from chapSecret (RFC 7143 9.2.1: a secret used to
  # authenticate initiators must not be used to authenticate targets).
}

struct LunMapping {
  lun @0 :UInt16 $required $range(min = 0, max = 16383);
  # The LUN number (SAM-5 4.7; 0..16383 fit the flat space addressing
  # method, the single-level form every initiator understands).

  logicalUnit @1 :Text $required;
  # The name of the LogicalUnit seen at this LUN.
}

struct LogicalUnit {
  name @0 :Text $required $maxBytes(64);
  # The LU's identifier in this file and in the admin plane. Checked:
  # letters, digits, '.', '-', '_' and ':' only. The default serial and
  # guid are derived from it, so renaming an LU changes its identity.

  backing @1 :Text $required $oneOf(["file", "block", "ram"]);
  # Where the LU's blocks live: a regular file, a block device, or memory
  # (lost when the daemon stops).

  path @2 :Text $maxBytes(4095);
  # The file or block device. A relative path resolves against dataDir.
  # Checked: required for "file" and "block", not allowed for "ram".
  # Filled in: an absolute, lexically normal path.

  sizeBytes @3 :UInt64;
  # Capacity in bytes: the LU's size, whatever the backing. "file": a
  # missing file is created with this size (sparse) when `create` is true;
  # an existing smaller file is extended to it (sparse; refused when
  # readOnly), an existing larger file is never truncated and only its first
  # sizeBytes bytes are exported. "ram": the size. "block": 0 means the
  # device's size, otherwise only the first sizeBytes bytes are exported.
  # Checked: a multiple of blockSize, and above 0 for "file" and "ram".

  create @4 :Bool = true;
  # "file" only: create the file when it does not exist. false: a missing
  # file is an error when the LU comes online.

  blockSize @5 :UInt32 = 512;
  # Logical block length reported by READ CAPACITY (SBC-4 5.20).
  # Checked: 512 or 4096.

  writeCache @6 :Bool = true;
  # true: writes complete from the page cache and reach stable storage at
  # SYNCHRONIZE CACHE or FUA (WCE=1 in the Caching mode page, SBC-4
  # 6.5.5). false: every write is stable before GOOD status.

  readOnly @7 :Bool = false;
  # true: writes fail with DATA PROTECT / WRITE PROTECTED, and the WP bit
  # is set in the mode parameter header (SBC-4 6.5.1).

  serial @8 :Text $maxBytes(252);
  # PRODUCT SERIAL NUMBER of the Unit Serial Number VPD page (SPC-4
  # 7.8.18). Checked: printable ASCII. Filled in when empty: 16 uppercase
  # hex digits derived from `name` (see wire/config/identity.hpp).

  vendor @9 :Text = "STMFD" $maxBytes(8);
  # T10 VENDOR IDENTIFICATION in standard INQUIRY data (SPC-4 6.6.2).
  # Checked: printable ASCII.

  product @10 :Text = "VDISK" $maxBytes(16);
  # PRODUCT IDENTIFICATION in standard INQUIRY data. Checked: printable
  # ASCII.

  guid @11 :Text;
  # The LU's NAA IEEE Registered Extended designator (NAA 6, SPC-4
  # 7.8.6.6.5) as 32 hex digits, reported in the Device Identification VPD
  # page; COMSTAR's "GUID". Checked: 32 hex digits starting with "6".
  # Filled in when empty: derived from `name` under stmfd's company id (see
  # wire/config/identity.hpp). Filled in always: uppercase.

  removable @12 :Bool = false;
  # true: the medium can be ejected and loaded with START STOP UNIT (LOEJ),
  # held in place with PREVENT ALLOW MEDIUM REMOVAL, and INQUIRY reports
  # RMB=1 (SBC-4 5.13, 5.29). While ejected, medium access answers NOT
  # READY / MEDIUM NOT PRESENT (3Ah/00h). The LU starts with its medium
  # loaded.

  thinProvisioning @13 :Bool = true;
  # true: the LU is thin provisioned (SBC-4 4.7.3): READ CAPACITY(16)
  # reports LBPME and LBPRZ, UNMAP and WRITE SAME with UNMAP deallocate
  # (files: holes are punched; block devices: discarded; ram: pages
  # dropped) and GET LBA STATUS reports the real allocation. false: fully
  # provisioned; those commands answer INVALID OPERATION CODE / INVALID
  # FIELD IN CDB and WRITE SAME always writes.

  provider @14 :Text = "sbd" $oneOf(["sbd", "ssc", "smc"]);
  # The LU provider that serves it: "sbd" a disk (SBC-3 direct access),
  # "ssc" a standalone tape drive (SSC-3 sequential access) whose
  # cartridge is the file at `path`, created blank on first start (the
  # format: docs/tape-format.md) with `sizeBytes` as its capacity and
  # `barcode` as its volume tag. Checked for "ssc": backing "file",
  # sizeBytes at least 1 MiB; blockSize and writeCache do not apply (the
  # drive's block length is set with MODE SELECT; writes are durable at
  # WRITE FILEMARKS); readOnly loads the cartridge write-protected. Filled
  # in for "ssc": product "VTAPE" when it was left at "VDISK".
  # A library's drive (an "ssc" LU in a Library's `drives`) has no `path`,
  # `sizeBytes` or `barcode`: it starts empty and holds the cartridges the
  # library moves into it. "smc": the media changer of the Library whose
  # `changer` names it (SMC-3); backing "ram" (it stores nothing: the
  # library's state is the file <dataDir>/<name>.state), no path,
  # sizeBytes 0. Filled in for "smc": product "VLIBRARY" when it was left
  # at "VDISK".

  barcode @15 :Text $maxBytes(32);
  # "ssc" only: the volume tag (SMC-3 primary volume tag) a new cartridge
  # file is created with; an existing cartridge keeps its own. Checked:
  # printable ASCII; not allowed with "sbd".

  physicalBlockSize @16 :UInt32 = 0;
  # "sbd" only: the physical block length the LU reports (READ CAPACITY(16)
  # LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT, SBC-4 5.21.2; the Block
  # Limits VPD page's OPTIMAL TRANSFER LENGTH GRANULARITY and the WRITE
  # ATOMIC(16) alignment and granularity): e.g. 4096 with blockSize 512
  # for a "512e" disk. 0: the same as blockSize. Checked: 0, or a power of
  # two from blockSize to 32768 x blockSize.

  # Reserved: `revision :Text` (PRODUCT REVISION LEVEL). (ALUA states
  # per LU: TargetPortGroup.luStates.)
}

struct HostGroup {
  # A named set of initiators (COMSTAR: stmfadm create-hg).

  name @0 :Text $required $maxBytes(64);
  # What views call the group. Checked: letters, digits, '.', '-', '_' and
  # ':' only; unique among the host groups.

  members @1 :List(Text);
  # The initiator port names in the group (stmfadm add-hg-member): iSCSI
  # initiator names (RFC 7143 4.2.7: iqn., eui., naa.) or "wwn." followed by
  # 16 hex digits for Fibre Channel ports. Compared without case (RFC 3722
  # stringprep folds case; hex digits have none), so an iqn name may be
  # written in any case. Checked: each a valid name, none listed twice, none
  # a member of another host group. May be empty: a view of an empty group
  # shows its LU to nobody until members are added.
}

struct TargetGroup {
  # A named set of targets (COMSTAR: stmfadm create-tg).

  name @0 :Text $required $maxBytes(64);
  # What views call the group. Checked: letters, digits, '.', '-', '_' and
  # ':' only; unique among the target groups.

  members @1 :List(Text);
  # The targets in the group (stmfadm add-tg-member), compared without
  # case. Checked: each is the name of an entry of Config.targets, or a
  # "wwn." name (16 hex digits) reserved for Fibre Channel ports; none
  # listed twice; none a member of another target group.
}

struct View {
  # One view entry (COMSTAR: stmfadm add-view -h -t -n): LU `logicalUnit`
  # appears at LUN `lun` to every initiator of `hostGroup` logged in to a
  # target of `targetGroup`.

  logicalUnit @0 :Text $required;
  # The name of the LogicalUnit shown. Checked: an entry of
  # Config.logicalUnits.

  hostGroup @1 :Text;
  # The initiators that see it. Empty: every initiator. Checked: otherwise
  # the name of an entry of Config.hostGroups.

  targetGroup @2 :Text;
  # The targets through which it is seen. Empty: every target. Checked:
  # otherwise the name of an entry of Config.targetGroups.

  lun @3 :UInt16 $required $range(min = 0, max = 16383);
  # The LUN number (SAM-5 4.7 flat space addressing, as in LunMapping).
}

struct Library {
  # A virtual tape library (SMC-3 medium changer with its elements). Its
  # element addresses: medium transport 0000h, import/export elements from
  # 0010h, data transfer elements (the drives, in list order) from 0100h,
  # storage elements (slots) from 1000h (the Element Address Assignment
  # mode page reports them). Where its cartridges are across restarts is
  # kept in <dataDir>/<changer>.state; a cartridge that was in a drive when
  # the daemon stopped (also kill -9) is back in the slot it came from.

  name @0 :Text $required $maxBytes(64);
  # The library's name; its cartridge files live in <dataDir>/<name>/.
  # Checked: the LU name rule (letters, digits, '.', '-', '_', ':'), unique
  # among libraries.

  changer @1 :Text $required;
  # The LogicalUnit (provider "smc") that is this library's media changer.
  # Checked: exists, provider "smc", the changer of no other library.

  drives @2 :List(Text);
  # The LogicalUnits (provider "ssc", without path) that are its drives:
  # data transfer element 0 is the first. Map them at increasing LUNs so
  # element order is LUN order. Checked: each exists with provider "ssc"
  # and no path, at most once in all libraries; at most 3840.

  slots @3 :UInt32 $required $range(min = 1, max = 4096);
  # Storage elements.

  importExport @4 :UInt32 = 0 $range(min = 0, max = 240);
  # Import/export elements (the mail slot).

  cartridges @5 :List(Cartridge);
  # Its cartridges, placed in slots 0, 1, ... on first start; the files
  # (<dataDir>/<name>/<barcode>.cart, docs/tape-format.md) are created blank
  # when missing. Checked: no more than `slots`; barcodes unique across all
  # libraries.
}

struct Cartridge {
  barcode @0 :Text $required $maxBytes(32);
  # The volume tag (SMC-3 primary volume tag) READ ELEMENT STATUS reports
  # and the cartridge's file name. Checked: letters, digits, '-', '_' and
  # '.', not starting with '.'.

  sizeBytes @1 :UInt64 $required $range(min = 1048576, max = 17592186044416);
  # The cartridge's capacity in bytes (1 MiB .. 16 TiB).

  path @2 :Text $maxBytes(4095);
  # Its file, when it is not <dataDir>/<library>/<barcode>.cart (a
  # cartridge imported from elsewhere: stmfadm import-cartridge). Relative
  # paths resolve against dataDir. Checked: no two cartridges share a file.
}

struct AdminSettings {
  # The admin interface over TCP. It is never served without authentication:
  # a connection is TLS (kj-tls, the server presents `tlsCertificate`) and
  # every call but `Admin.authenticate` answers permissionDenied until the
  # client has given the token. Make a certificate and a token with, e.g.:
  #   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
  #     -nodes -days 825 -subj /CN=HOST -addext subjectAltName=DNS:HOST \
  #     -keyout admin-key.pem -out admin-cert.pem
  #   head -c 32 /dev/urandom | base64 > admin.token; chmod 600 admin.token

  listen @0 :Text $maxBytes(300);
  # "a.b.c.d:port" or "[v6]:port": where the daemon listens for admin
  # clients (stmfadm --connect). Empty or absent: no TCP listener. Checked:
  # a numeric address with a port; when set, tlsCertificate, tlsKey and
  # tokenFile are required (the daemon refuses to start without them).

  tlsCertificate @1 :Text $maxBytes(4095);
  # PEM file: the server's certificate (chain, leaf first). Filled in:
  # relative paths resolve against the config file's directory.

  tlsKey @2 :Text $maxBytes(4095);
  # PEM file: the certificate's private key, not encrypted. Resolved as
  # tlsCertificate.

  tokenFile @3 :Text $maxBytes(4095);
  # A file whose first line is the token clients must give to
  # `Admin.authenticate` (at least 16 characters; surrounding white space
  # ignored). Read when the daemon starts. Resolved as tlsCertificate.
}
