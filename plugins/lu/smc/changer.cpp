#include "plugins/lu/smc/changer.hpp"

#include "plugins/lu/smc/command_table.hpp"
#include "wire/scsi/cdb.hpp"

namespace stmfd::smc {

using namespace scsi;

namespace {

std::vector<std::string> barcodes_of(const library_definition& l) {
  std::vector<std::string> out;
  for (const auto& c : l.cartridges) out.push_back(c.barcode);
  return out;
}

}  // namespace

changer::changer(lu_identity id, std::shared_ptr<const library_definition> library)
    : st_{std::move(id),
          library,
          element_map(layout{library->slots, library->import_export, uint32_t(library->drives.size())},
                      barcodes_of(*library)),
          definition_digest(*library),
          std::nullopt,
          {},
          false,
          {}} {}

command_info changer::classify(const uint8_t* cdb, size_t len) const {
  return lu_table::classify_found(find_command(cdb, cdb ? len : 0), data_dir::out);
}

lu_outcome changer::execute(const lu_command& cmd, uint8_t* data_in, size_t data_in_cap) {
  const auto found = find_command(cmd.cdb, cmd.cdb ? cmd.cdb_len : 0);
  if (auto refused = lu_table::check_cdb(found, cmd)) return *refused;
  // st_.pending stays: a TEST UNIT READY or INQUIRY (ser_class::none) may
  // run while a move waits for its drive operations.
  exec_ctx x{st_, cmd, data_in, data_in_cap};
  return found.row->handler(x);
}

lu_outcome changer::finish(const lu_command& cmd, const lu_outcome&, int io_result, uint8_t, const uint8_t*) {
  exec_ctx x{st_, cmd, nullptr, 0};
  if (!st_.pending.active) return check(sense::internal_target_failure());
  lu_outcome o = handlers::finish_move(x, io_result);
  st_.pending = {};
  return o;
}

}  // namespace stmfd::smc
