#include "plugins/port/iscsi/login/request.hpp"

#include <cstring>

namespace stmfd::iscsi::login {

login_request decode_request(bhs_view h, const uint8_t* data, size_t dlen) {
  login_request req;
  req.transit = h.transit();
  req.cont = (h.flags() & 0x40) != 0;  // C bit (RFC 7143 11.12.2)
  req.csg = h.csg();
  req.nsg = h.nsg();
  req.version_max = h.version_max();
  req.version_min = h.version_min();
  std::memcpy(req.isid, h.isid(), 6);
  req.tsih = h.tsih();
  req.cid = h.login_cid();
  req.cmd_sn = h.cmd_sn();
  req.exp_stat_sn = h.exp_stat_sn();
  req.data = data;
  req.data_len = dlen;
  return req;
}

}  // namespace stmfd::iscsi::login
