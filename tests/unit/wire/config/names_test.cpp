#include <catch2/catch.hpp>

#include "wire/config/identity.hpp"
#include "wire/config/names.hpp"

using namespace stmfd::wire::cfg;

TEST_CASE("iscsi_name_accepts_rfc_examples", "[config][names]") {
  // RFC 7143 4.2.7.4 / 4.2.7.5 / RFC 3980 examples.
  CHECK(check_iscsi_name("iqn.2001-04.com.example:storage:diskarrays-sn-a8675309") == "");
  CHECK(check_iscsi_name("iqn.2001-04.com.example") == "");
  CHECK(check_iscsi_name("iqn.2001-04.com.example.storage.tape1.sys1.xyz") == "");
  CHECK(check_iscsi_name("eui.02004567A425678D") == "");
  CHECK(check_iscsi_name("naa.52004567BA64678D") == "");
  CHECK(check_iscsi_name("naa.62004567BA64678D0123456789ABCDEF") == "");
}

TEST_CASE("iscsi_name_rejects_malformed_names", "[config][names]") {
  CHECK(check_iscsi_name("") == "must not be empty");
  CHECK(check_iscsi_name("target1") == "an iSCSI name starts with \"iqn.\", \"eui.\" or \"naa.\" (RFC 7143 4.2.7)");
  CHECK(check_iscsi_name("IQN.2001-04.com.example") ==
        "an iSCSI name starts with \"iqn.\", \"eui.\" or \"naa.\" (RFC 7143 4.2.7)");
  CHECK(check_iscsi_name("iqn.2001-04.com.Example") ==
        "character 'E' is not allowed (iqn names use lowercase letters, digits, '-', '.' and "
        "':')");
  CHECK(check_iscsi_name("iqn.2001-04.com.ex_ample") ==
        "character '_' is not allowed (iqn names use lowercase letters, digits, '-', '.' and "
        "':')");
  CHECK(check_iscsi_name("iqn.2001-04.caf\xc3\xa9") ==
        "byte 0xC3 is not allowed (iqn names use lowercase letters, digits, '-', '.' and ':')");
  CHECK(check_iscsi_name("iqn.2001-4.com.example") == "an iqn name is \"iqn.YYYY-MM.reversed.domain[:anything]\"");
  CHECK(check_iscsi_name("iqn.2001-04") == "an iqn name is \"iqn.YYYY-MM.reversed.domain[:anything]\"");
  CHECK(check_iscsi_name("iqn.2001-04.:x") == "an iqn name is \"iqn.YYYY-MM.reversed.domain[:anything]\"");
  CHECK(check_iscsi_name("iqn.2001-13.com.example") == "the month in an iqn name must be 01..12");
  CHECK(check_iscsi_name("iqn.2001-00.com.example") == "the month in an iqn name must be 01..12");
  CHECK(check_iscsi_name("iqn.2001-04.com..example") == "the naming authority of an iqn name has an empty label");
  CHECK(check_iscsi_name("eui.02004567A425678") == "an eui name is \"eui.\" followed by 16 hex digits");
  CHECK(check_iscsi_name("eui.02004567A425678G") == "an eui name is \"eui.\" followed by 16 hex digits");
  CHECK(check_iscsi_name("naa.52004567BA64678D01") == "an naa name is \"naa.\" followed by 16 or 32 hex digits");
  CHECK(check_iscsi_name("iqn.2001-04.com.example:" + std::string(200, 'x')) ==
        "an iSCSI name is at most 223 bytes (RFC 7143 4.2.7.1)");
  CHECK(check_iscsi_name("iqn.2001-04.com.example:" + std::string(223 - 24, 'x')) == "");
}

TEST_CASE("portal_parses_ipv4_and_ipv6_with_default_port", "[config][names]") {
  portal p;
  REQUIRE(parse_portal("127.0.0.1:3260", p) == "");
  CHECK(p.host == "127.0.0.1");
  CHECK(p.port == 3260);
  CHECK_FALSE(p.ipv6);
  CHECK(p.to_string() == "127.0.0.1:3260");

  REQUIRE(parse_portal("0.0.0.0", p) == "");
  CHECK(p.to_string() == "0.0.0.0:3260");

  REQUIRE(parse_portal("[::1]:3261", p) == "");
  CHECK(p.host == "::1");
  CHECK(p.port == 3261);
  CHECK(p.ipv6);
  CHECK(p.to_string() == "[::1]:3261");

  REQUIRE(parse_portal("[0:0:0:0:0:0:0:0]", p) == "");
  CHECK(p.to_string() == "[::]:3260");
}

TEST_CASE("portal_rejects_bad_addresses_and_ports", "[config][names]") {
  portal p;
  CHECK(parse_portal("", p) == "a portal is \"a.b.c.d[:port]\" or \"[ipv6][:port]\"");
  CHECK(parse_portal(":3260", p) == "a portal is \"a.b.c.d[:port]\" or \"[ipv6][:port]\"");
  CHECK(parse_portal("127.0.0.1:", p) == "a portal is \"a.b.c.d[:port]\" or \"[ipv6][:port]\"");
  CHECK(parse_portal("[::1", p) == "a portal is \"a.b.c.d[:port]\" or \"[ipv6][:port]\"");
  CHECK(parse_portal("[::1]3260", p) == "a portal is \"a.b.c.d[:port]\" or \"[ipv6][:port]\"");
  CHECK(parse_portal("localhost:3260", p) == "\"localhost\" is not an IPv4 address (host names are not resolved)");
  CHECK(parse_portal("127.0.0.256:3260", p) == "\"127.0.0.256\" is not an IPv4 address (host names are not resolved)");
  CHECK(parse_portal("::1", p) == "an IPv6 address must be written in brackets, e.g. \"[::1]:3260\"");
  CHECK(parse_portal("[127.0.0.1]:3260", p) == "\"127.0.0.1\" is not an IPv6 address");
  CHECK(parse_portal("[fe80::1%eth0]:3260", p) == "IPv6 zone ids are not supported");
  CHECK(parse_portal("127.0.0.1:0", p) == "the port must be a number from 1 to 65535");
  CHECK(parse_portal("127.0.0.1:65536", p) == "the port must be a number from 1 to 65535");
  CHECK(parse_portal("127.0.0.1:32a", p) == "the port must be a number from 1 to 65535");
  CHECK(parse_portal("127.0.0.1:+1", p) == "the port must be a number from 1 to 65535");
}

TEST_CASE("lu_name_and_ascii_checks", "[config][names]") {
  CHECK(check_lu_name("disk-0_a.b:c") == "");
  CHECK(check_lu_name("") == "must not be empty");
  CHECK(check_lu_name("my disk") == "character ' ' is not allowed (use letters, digits, '.', '-', '_' and ':')");
  CHECK(check_lu_name("a/b") == "character '/' is not allowed (use letters, digits, '.', '-', '_' and ':')");
  CHECK(check_printable_ascii("STMFD ~") == "");
  CHECK(check_printable_ascii("tab\there") == "must be printable ASCII");
  CHECK(check_printable_ascii("caf\xc3\xa9") == "must be printable ASCII");
}

TEST_CASE("lu_and_group_names_are_at_most_64_bytes", "[config][names]") {
  CHECK(check_lu_name(std::string(64, 'a')) == "");
  CHECK(check_lu_name(std::string(65, 'a')) == "must be at most 64 bytes, got 65");
  CHECK(check_group_name(std::string(64, 'g')) == "");
  CHECK(check_group_name(std::string(65, 'g')) == "must be at most 64 bytes, got 65");
  CHECK(check_group_name("hg-a_1.x:y") == "");
  CHECK(check_group_name("") == "must not be empty");
  CHECK(check_group_name("hg a") == "character ' ' is not allowed (use letters, digits, '.', '-', '_' and ':')");
}

TEST_CASE("port_names_are_iscsi_names_or_wwns_of_any_case", "[config][names]") {
  CHECK(check_port_name("iqn.1991-05.com.microsoft:host1") == "");
  CHECK(check_port_name("iqn.1991-05.com.Microsoft:HOST1") == "");
  CHECK(check_port_name("IQN.1991-05.com.microsoft") == "");
  CHECK(check_port_name("eui.02004567a425678d") == "");
  CHECK(check_port_name("wwn.2100001B32A0C0DE") == "");
  CHECK(check_port_name("WWN.2100001b32a0c0de") == "");
  CHECK(check_port_name("") == "must not be empty");
  CHECK(check_port_name("wwn.2100001B32A0C0D") == "a wwn name is \"wwn.\" followed by 16 hex digits");
  CHECK(check_port_name("wwn.2100001B32A0C0DEF") == "a wwn name is \"wwn.\" followed by 16 hex digits");
  CHECK(check_port_name("wwn.2100001B32A0C0DG") == "a wwn name is \"wwn.\" followed by 16 hex digits");
  CHECK(check_port_name("iqn.1991-05.com.micro_soft") ==
        "character '_' is not allowed (iqn names use lowercase letters, digits, '-', '.' and "
        "':')");
  CHECK(check_port_name("host1") ==
        "a port name is an iSCSI name (\"iqn.\", \"eui.\" or \"naa.\", RFC 7143 4.2.7) or "
        "\"wwn.\" followed by 16 hex digits");
}

TEST_CASE("fold_case_lowers_ascii_letters_only", "[config][names]") {
  CHECK(fold_case("IQN.2026-11.Org:X_Y") == "iqn.2026-11.org:x_y");
  CHECK(fold_case("caf\xc3\x89") == "caf\xc3\x89");
}

TEST_CASE("derived_identity_is_stable_and_well_formed", "[config][identity]") {
  // Frozen values: a change here changes the identity of every deployed LU.
  CHECK(derived_guid("disk0") == "6025354717A57FEF9F4D51E1A49D46DB");
  CHECK(derived_serial("disk0") == "9F4D51E1A49D46DB");
  std::string g = derived_guid("disk1");
  CHECK(g.size() == 32);
  CHECK(g.substr(0, 7) == "6025354");
  CHECK(g != derived_guid("disk0"));
  CHECK(derived_serial("disk1") == g.substr(16));
  CHECK(derived_guid("").size() == 32);
}
