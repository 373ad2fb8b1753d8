#include "io/packet_socket.hpp"

#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace stmfd::io {

namespace {

std::string describe(const char* what, int err) { return std::string(what) + ": " + std::strerror(err); }

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

}  // namespace

link_info query_link(const std::string& ifname) {
  link_info out;
  if (ifname.empty() || ifname.size() >= IFNAMSIZ) {
    out.error = "bad interface name";
    return out;
  }
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    out.error = describe("socket", errno);
    return out;
  }
  ifreq req{};
  std::memcpy(req.ifr_name, ifname.c_str(), ifname.size());
  if (::ioctl(fd, SIOCGIFINDEX, &req) < 0) {
    if (errno != ENODEV) out.error = describe("SIOCGIFINDEX", errno);
    ::close(fd);
    return out;
  }
  out.ifindex = req.ifr_ifindex;
  if (::ioctl(fd, SIOCGIFFLAGS, &req) == 0) out.up = (req.ifr_flags & IFF_UP) && (req.ifr_flags & IFF_RUNNING);
  if (::ioctl(fd, SIOCGIFMTU, &req) == 0) out.mtu = uint32_t(req.ifr_mtu);
  if (::ioctl(fd, SIOCGIFHWADDR, &req) == 0) std::memcpy(out.mac.data(), req.ifr_hwaddr.sa_data, 6);
  ::close(fd);
  out.exists = true;
  return out;
}

packet_socket open_packet_socket(int ifindex, const std::vector<uint16_t>& ethertypes, int rcvbuf) {
  packet_socket out;
  if (ethertypes.empty() || ethertypes.size() > 8) {
    out.error = "between 1 and 8 ethertypes";
    return out;
  }
  // Protocol 0: nothing is queued until bind, by which time the filter is on.
  int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    out.error = describe("socket(AF_PACKET)", errno);
    return out;
  }
  auto fail = [&](const char* what, int err) {
    ::close(fd);
    out.error = describe(what, err);
    return out;
  };
  // Classic BPF: load the ethertype, accept on a match, drop otherwise.
  std::vector<sock_filter> prog;
  prog.push_back(BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12));
  const uint8_t n = uint8_t(ethertypes.size());
  for (uint8_t i = 0; i < n; ++i) prog.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ethertypes[i], uint8_t(n - i), 0));
  prog.push_back(BPF_STMT(BPF_RET | BPF_K, 0));
  prog.push_back(BPF_STMT(BPF_RET | BPF_K, 0x40000));
  sock_fprog fprog{uint16_t(prog.size()), prog.data()};
  if (::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof fprog) < 0) return fail("SO_ATTACH_FILTER", errno);
  // SO_RCVBUFFORCE needs CAP_NET_ADMIN (which AF_PACKET needs anyway);
  // SO_RCVBUF, capped at rmem_max, is the fallback.
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  int one = 1;
  if (::setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) < 0)
    return fail("PACKET_IGNORE_OUTGOING", errno);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = ifindex;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sll), sizeof sll) < 0) return fail("bind", errno);
  packet_mreq mr{};
  mr.mr_ifindex = ifindex;
  mr.mr_type = PACKET_MR_PROMISC;
  if (::setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0)
    return fail("PACKET_ADD_MEMBERSHIP", errno);
  out.fd = fd;
  return out;
}

}  // namespace stmfd::io
