// libFuzzer harness: CDB dispatch of the media changer LU provider (SMC-3,
// plugins/lu/smc) over a small library (two drives, one import/export
// element, four slots, three cartridges). Drive operations the outcome
// asks for succeed or fail as the command's fault bits say (lu_runner.hpp:
// the fault fails the first step; here it is the drive operations' result).
// The first input byte: bit 0 the element map is restored from the input
// (the next two bytes are its length: a state file of any content), then
// commands (cmd_stream).
#include <cstdint>
#include <span>

#include "plugins/lu/smc/changer.hpp"
#include "tests/fuzz/lu_runner.hpp"
#include "tests/unit/plugins/lu/smc/changer_fixture.hpp"  // small_library(), make_id()

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stmfd;
  if (size < 1) return 0;
  static const auto library = smc::test::small_library();
  smc::changer core(smc::test::changer_fixture::make_id(), library);
  size_t at = 1;
  if ((data[0] & 1) && size - at >= 2) {
    const size_t n = std::min<size_t>(size_t(data[at]) << 8 | data[at + 1], size - at - 2);
    core.restore(std::span<const uint8_t>(data + at + 2, n));
    at += 2 + n;
  }
  fuzz::ram_lu lu{core, {}, {}};
  fuzz::cmd_stream s(data + at, size - at);
  fuzz::cmd_input c;
  for (int n = 0; n < 64 && s.next(c); ++n) lu.run(c);
  return 0;
}
