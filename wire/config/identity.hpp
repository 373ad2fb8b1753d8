#pragma once
// The identifiers an LU gets when the config does not set them. They are a
// pure function of the LU's name and must never change between releases:
// initiators (multipath, file systems by id) remember them.

#include <cstdint>
#include <string>
#include <string_view>

namespace stmfd::wire::cfg {

// The IEEE COMPANY_ID placed in derived NAA 6 designators. 02-53-54 is not
// an IEEE assignment: its second-lowest bit of the first octet marks it as
// a locally administered value (IEEE 802 "local" bit), and the next two
// octets spell "ST". Operators who own an OUI set `guid` themselves.
inline constexpr uint32_t derived_company_id = 0x025354;

// 32 uppercase hex digits: "6" (NAA IEEE Registered Extended, SPC-4
// 7.8.6.6.5), the 6 digits of derived_company_id, then 100 bits taken from
// a hash of `lu_name` (vendor specific identifier and extension).
std::string derived_guid(std::string_view lu_name);

// 16 uppercase hex digits: the last 16 digits of derived_guid(lu_name).
std::string derived_serial(std::string_view lu_name);

}  // namespace stmfd::wire::cfg
