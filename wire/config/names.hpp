#pragma once
// Syntax of the names and addresses a config (and later the admin plane)
// carries. Pure functions; each returns an empty string when the input is
// valid and otherwise a message fit to follow "path: ".

#include <cstdint>
#include <string>
#include <string_view>

namespace stmfd::wire::cfg {

// An iSCSI name (RFC 7143 4.2.7): "iqn." YYYY-MM "." reversed domain
// [":" anything], "eui." 16 hex digits, or "naa." 16 or 32 hex digits
// (RFC 3980). At most 223 bytes. Names are accepted only in the form RFC
// 3722 stringprep outputs (lowercase ASCII letters, digits, '-', '.', ':'),
// except that eui/naa hex digits may be upper case; non-ASCII names are
// not supported. Usable for initiator names as well as target names.
std::string check_iscsi_name(std::string_view name);

// A listening address: "a.b.c.d", "a.b.c.d:port", "[v6]" or "[v6]:port".
// The port defaults to 3260, the iSCSI well-known port (RFC 7143 4.2.7.1).
struct portal {
  std::string host;  // numeric, canonical (inet_ntop), no brackets
  uint16_t port = 3260;
  bool ipv6 = false;

  // "a.b.c.d:port" or "[v6]:port": the form the loader stores.
  std::string to_string() const;
};
std::string parse_portal(std::string_view text, portal& out);

// An LU name: 1..64 bytes of ASCII letters, digits, '.', '-', '_', ':'.
std::string check_lu_name(std::string_view name);

// A host or target group name (COMSTAR stmfadm create-hg / create-tg): the
// same rule as an LU name.
std::string check_group_name(std::string_view name);

// A SCSI port name as host and target groups list them (COMSTAR stmfadm
// add-hg-member / add-tg-member): an iSCSI name (check_iscsi_name) or a
// Fibre Channel port's "wwn." followed by 16 hex digits. Case is not
// significant (RFC 3722 stringprep folds it; hex digits have none), so the
// name is checked in its fold_case form: "iqn.2026-11.Org.Example" is
// accepted as "iqn.2026-11.org.example".
std::string check_port_name(std::string_view name);

// ASCII letters in lower case, every other byte unchanged: the form in
// which port names compare (two names are one port when their folds match).
std::string fold_case(std::string_view name);

// ASCII 0x20..0x7E only (SPC-4 4.3.1 ASCII data fields).
std::string check_printable_ascii(std::string_view text);

}  // namespace stmfd::wire::cfg
