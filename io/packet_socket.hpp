#pragma once
// Raw Ethernet access to one interface through an AF_PACKET socket, for
// link-layer protocols carried beside IP (FCoE). Plain synchronous calls
// like socket.hpp; the socket's receives and sends then go through a ring
// (recv and sendv: one whole frame each). Never knows what the frames mean.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace stmfd::io {

using mac_address = std::array<uint8_t, 6>;

// What the kernel says about an interface now (SIOCGIF*).
struct link_info {
  bool exists = false;  // false: no such interface (yet)
  int ifindex = 0;      // changes when the interface is deleted and made again
  bool up = false;      // administratively up (IFF_UP) with carrier (IFF_RUNNING)
  uint32_t mtu = 0;     // bytes of Ethernet payload
  mac_address mac{};    // its hardware address
  std::string error;    // why exists is false, when it is not ENODEV
};
link_info query_link(const std::string& ifname);

struct packet_socket {
  int fd = -1;        // SOCK_RAW, bound to the interface, O_CLOEXEC; -1 on failure
  std::string error;  // set when fd == -1
};
// Opens a socket on interface `ifindex` that receives only frames of the
// given ethertypes (a socket filter attached before binding, so no other
// frame is ever queued), never the frames this host sends itself
// (PACKET_IGNORE_OUTGOING), with the interface in promiscuous mode while
// the socket lives (a VN_Port's MACs are not the NIC's own), and a receive
// buffer of `rcvbuf` bytes (beyond net.core.rmem_max when the process may:
// a burst the buffer cannot hold is dropped by the kernel). Frames are read
// and written whole, starting at the Ethernet destination address.
packet_socket open_packet_socket(int ifindex, const std::vector<uint16_t>& ethertypes, int rcvbuf = 16 << 20);

}  // namespace stmfd::io
