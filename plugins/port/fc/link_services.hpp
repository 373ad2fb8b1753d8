#pragma once
// The replies a local port gives to extended link services (FC-LS-3 4),
// pure: built from the request's payload and the port's identity, so the
// actors only route frames. FLOGI in point-to-point (or VN2VN) mode, PLOGI,
// PRLI/PRLO with the FCP service parameters (FCP-4 6.3), ADISC, RTV, RLS,
// ECHO, RRQ; every other command gets LS_RJT with the reason FC-LS-3 gives.
#include <cstdint>
#include <optional>
#include <vector>

#include "wire/fc/els.hpp"
#include "wire/fc/frame.hpp"

namespace stmfd::fc {

struct local_identity {
  uint64_t wwnn = 0, wwpn = 0;
  uint32_t port_id = 0;
  uint16_t rx_size = 2112;  // the data field this port receives (the HBA's limit)
};

struct els_reply {
  bool accepted = false;         // LS_ACC (false: LS_RJT)
  std::vector<uint8_t> payload;  // the reply's payload
};

els_reply reject(uint8_t reason, uint8_t explanation);

// FC-LS-3 4.3.7 (point-to-point): LS_ACC with this N_Port's parameters
// (F_Port bit clear). The port identifiers come from the link (loopback:
// fixed per end; VN2VN: claimed through FIP), not from the FLOGI exchange.
els_reply flogi_reply(const local_identity& me, const uint8_t* p, size_t len);

// FC-LS-3 4.3.11: LS_ACC when the payload is a whole login with a port name
// and class 3 offered; `remote` gets the initiator's parameters.
els_reply plogi_reply(const local_identity& me, const uint8_t* p, size_t len, els::login_params& remote);
// The payload of a PLOGI this port originates (the same parameters its
// accept carries, FC-LS-3 4.3.11).
std::vector<uint8_t> plogi_request(const local_identity& me);
// The remote port's parameters from the LS_ACC of a PLOGI this port sent,
// checked like an incoming PLOGI; nullopt when they do not qualify.
std::optional<els::login_params> plogi_accept(const uint8_t* p, size_t len);
// The data field size frames to the remote port may carry: the smaller of
// its common and class-3 receive sizes, within [256, 2112].
uint16_t remote_rx_size(const els::login_params& remote);

// FCP-4 6.3: the accept of a PRLI. `image_pair` says whether an FCP image
// pair is (now) established: an FCP page that asked for one; pages of other
// FC-4 types are answered "precluded" (this port serves FCP only).
// `confirmed` is set when the initiator allowed confirmed completion (the
// accept mirrors it; this target never asks for confirmation).
els_reply prli_reply(const uint8_t* p, size_t len, bool& image_pair, bool& confirmed);
// FC-LS-3 4.3.16: the accept of a PRLO; `fcp` says whether an FCP page was there.
els_reply prlo_reply(const uint8_t* p, size_t len, bool& fcp);

els_reply adisc_reply(const local_identity& me, const uint8_t* p, size_t len);
els_reply rtv_reply();
els_reply rls_reply(const local_identity& me, const uint8_t* p, size_t len);
els_reply echo_reply(const uint8_t* p, size_t len, size_t max_payload);
// Commands this port does not serve: LS_RJT "command not supported" for
// codes FC-LS-3 defines, "invalid LS_Command code" otherwise.
els_reply unsupported_reply(uint8_t code);

// The header of a reply frame in the exchange `req` opened: IDs swapped,
// this port as exchange responder, last sequence, sequence initiative
// passed back (FC-FS-4 9.7, FC-LS-3 4.1).
frame_header reply_header(const frame_header& req, uint8_t r_ctl, uint32_t my_id, uint16_t rx_id);

}  // namespace stmfd::fc
