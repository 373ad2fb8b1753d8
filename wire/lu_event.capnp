@0xc1c1335c70fcd22a;
# An LU's state changed (COMSTAR's LU state and event notifications): STMF
# tells the ports that reach the LU, so a remote port can keep its view of
# the LU current and its initiators learn through the unit attentions the
# event establishes (SAM-5 5.14).
#
# In one process STMF sends a LuStateEvent by handle (a pooled slot,
# wire/stream/message_ref.hpp) to every session that reaches the LU when
# the LU's actor changes, with the new actor beside it in the same actor
# message (null while the LU does not serve); the LU itself posts the unit
# attentions. A port in another process gets the same struct as a frame
# (a stream, wire/stream/).

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("stmfd::wire");

# What state the LU is in after the event (also LuStatus.state and
# NexusGrant's LunAssignment.luState). Only online comes with an actor; in
# every other state the session layer answers the LU's commands itself
# (actors/common/task_actor.cpp): NOT READY with the ASC/ASCQ given here,
# INQUIRY with peripheral qualifier 001b, REQUEST SENSE with the condition
# as data.
enum LuState {
  online @0;
  # Serving commands (in a LuStateEvent, by the actor beside it).

  offline @1;
  # Not serving and not tried again until an administrator acts: taken
  # offline (stmfadm offline-lu), or no registered provider serves its
  # definition. Commands get 04h/03h MANUAL INTERVENTION REQUIRED.

  failed @2;
  # Not serving, and STMF tries it again after a back-off delay
  # (actors/model/restart_policy.hpp): its backing store could not be
  # opened, or its actor died more often than the restart budget allows
  # within the window (reason says which). It is not left offline: once an
  # attempt succeeds an online event follows with the new actor and
  # powerOn. Meanwhile commands get 04h/03h MANUAL INTERVENTION REQUIRED,
  # so initiators fail them at once rather than retry for the whole delay.

  restarting @3;
  # Its actor died and STMF is starting a new one at once, from its
  # definition, but the new one is not there yet (it waits for its io ring
  # to be recreated, or a changer for its drives' answers). Commands get
  # 04h/01h BECOMING READY, which initiators retry; an online event with
  # powerOn follows.
}

# STMF (or the LU side of a stream) -> port. Every field is set by STMF.
struct LuStateEvent {
  luName @0 :Text;
  # The LU, by its configured name (NexusGrant.luns[].luName).

  state @1 :LuState;

  reason @2 :Text;
  # Why, for the logs ("restarted after a failure", "left offline: failed
  # 4 times in 60 s"). May be empty.

  # The unit attentions the event established for every nexus that reaches
  # the LU; the next command on each nexus reports them in this order of
  # precedence (SAM-5 5.14, SPC-4 5.14):

  powerOn @3 :Bool;
  # POWER ON, RESET, OR BUS DEVICE RESET OCCURRED (29h/00h): the LU was
  # (re)started.

  reportedLunsDataChanged @4 :Bool;
  # REPORTED LUNS DATA HAS CHANGED (3Fh/0Eh): the view that maps the LU
  # changed; initiators should send REPORT LUNS again. STMF sets it false
  # today: a change of the views reaches the LUs as luns_atom and each LU
  # posts 3Fh/0Eh to the nexuses whose inventory changed.

  capacityChanged @5 :Bool;
  # CAPACITY DATA HAS CHANGED (2Ah/09h): the LU's size changed. STMF sets
  # it false today: a grow restarts the LU with 2Ah/09h among its start
  # unit attentions (lu_shell_start::start_uas).

  capacityBytes @6 :UInt64;
  # The LU's capacity after the event, when capacityChanged; 0 otherwise.
}

# One LU's state as STMF reports it (the admin interface, tests). Every
# field is set by STMF.
struct LuStatus {
  luName @0 :Text;
  # The LU's configured name.

  state @1 :LuState;

  reason @2 :Text;
  # Why it is not online (the last failure: "cannot open /x: No such file
  # or directory", "not started"); empty when online.
}

# STMF -> whoever asked: every LU's state, in the order the configuration
# defines the LUs.
struct LuStateList {
  lus @0 :List(LuStatus);
}
