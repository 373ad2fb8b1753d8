// The admin RPC's LU, group, view and ALUA pieces (admin_rpc.cpp's
// method table calls them): service answers as wire/admin.capnp results,
// and requests read out of them.
#include <map>

#include "actors/admin/admin_rpc_ops.hpp"

namespace stmfd::admin {

using namespace wire::admin;

namespace {

std::string hex(const uint8_t* p, size_t n) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

}  // namespace

void fill_lu(LuInfo::Builder out, const lu_listing& l) {
  auto spec = out.initSpec();
  spec.setName(l.def.name);
  auto id = spec.initIdentity();
  id.setGuid(hex(l.def.id.naa, sizeof l.def.id.naa));
  id.setVendor(l.def.id.vendor);
  id.setProduct(l.def.id.product);
  id.setSerial(l.def.id.serial);
  auto disk = spec.initDisk();
  auto backing = disk.initBacking();
  switch (l.def.backing) {
    case lu_definition::backing_kind::file: backing.setFile(l.def.path); break;
    case lu_definition::backing_kind::block: backing.setBlockDevice(l.def.path); break;
    case lu_definition::backing_kind::ram: backing.setRam(); break;
  }
  disk.setSizeBytes(l.def.size_bytes);
  disk.setBlockSize(l.def.block_size);
  disk.setWriteCache(l.def.write_cache);
  disk.setReadOnly(l.def.read_only);
  disk.setThin(l.def.thin);
  out.setKind(l.def.provider == "ssc" ? LuKind::TAPE : l.def.provider == "smc" ? LuKind::CHANGER : LuKind::DISK);
  out.setState(wire_state(l.state));
  out.setReason(l.reason);
  out.setViewCount(l.view_count);
}

void fill_groups(capnp::List<Group>::Builder out, const std::vector<group_listing>& groups) {
  for (unsigned i = 0; i < groups.size(); ++i) {
    out[i].setName(groups[i].name);
    auto m = out[i].initMembers(unsigned(groups[i].members.size()));
    for (unsigned j = 0; j < groups[i].members.size(); ++j) m.set(j, groups[i].members[j]);
  }
}

// One ALUA group: its states (the config's exceptions and STPG's, STPG's
// marked byStpg), its ports and whether each is up, and the state the
// group has for the other ports' initiators (offline when none is up).
void fill_alua_group(AluaGroup::Builder out, const tpg_info& g) {
  out.setId(g.def.id);
  out.setName(g.def.name);
  out.setState(std::string(scsi::alua::name_of(g.def.state)));
  std::map<std::string, std::pair<access_state, bool>> states;
  for (auto& [lu, s] : g.def.lu_states) states[lu] = {s, false};
  for (auto& [lu, s] : g.def.stpg_states) states[lu] = {s, true};
  auto lus = out.initLuStates(unsigned(states.size()));
  unsigned i = 0;
  for (auto& [lu, s] : states) {
    lus[i].setLogicalUnit(lu);
    lus[i].setState(std::string(scsi::alua::name_of(s.first)));
    lus[i++].setByStpg(s.second);
  }
  auto ports = out.initPorts(unsigned(g.ports.size()));
  bool any_up = false;
  for (unsigned j = 0; j < g.ports.size(); ++j) {
    const bool up = g.ports[j].online && g.ports[j].link_up;
    any_up |= up;
    ports[j].setTarget(g.ports[j].target_name);
    ports[j].setRelativePortId(g.ports[j].relative_port_id);
    ports[j].setUp(up);
  }
  // What apply_port_states (actors/model/alua.hpp) makes of it for the LUs.
  const bool offline = !g.ports.empty() && !any_up;
  out.setEffectiveState(std::string(scsi::alua::name_of(offline ? access_state::offline : g.def.state)));
}

view_entry view_from(View::Reader v) {
  return view_entry{str(v.getLogicalUnit()), str(v.getHostGroup()), str(v.getTargetGroup()), str(v.getTarget()),
                    v.getLun()};
}

// A LuSpec's disk LU as the service's request (create-lu, modify-lu).
lu_request request_from(LuSpec::Reader spec) {
  auto disk = spec.getDisk();
  lu_request req;
  req.name = str(spec.getName());
  auto b = disk.getBacking();
  if (b.isFile()) {
    req.backing = "file";
    req.path = str(b.getFile());
  } else if (b.isBlockDevice()) {
    req.backing = "block";
    req.path = str(b.getBlockDevice());
  } else {
    req.backing = "ram";
  }
  req.size_bytes = disk.getSizeBytes();
  req.block_size = disk.getBlockSize();
  req.write_cache = disk.getWriteCache();
  req.read_only = disk.getReadOnly();
  req.thin = disk.getThin();
  auto id = spec.getIdentity();
  req.guid = str(id.getGuid());
  req.vendor = str(id.getVendor());
  req.product = str(id.getProduct());
  req.serial = str(id.getSerial());
  return req;
}

}  // namespace stmfd::admin
