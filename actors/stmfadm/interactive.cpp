// The interactive mode: a prompt with history and tab completion of verbs
// (libedit), each line run as one verb over the same connection.
#include <histedit.h>

#include <cstdio>
#include <cstring>
#include <sstream>

#include "actors/stmfadm/shell.hpp"

namespace stmfd::stmfadm {
namespace {

// libedit's callbacks carry no user pointer: the verbs of the one shell.
std::vector<std::string>* completion_words = nullptr;
std::string prompt_text;

const char* prompt(EditLine*) { return prompt_text.c_str(); }

// Completes the word under the cursor when it is the first one.
unsigned char complete(EditLine* el, int) {
  const LineInfo* li = el_line(el);
  std::string before(li->buffer, li->cursor);
  if (before.find_first_of(" \t") != std::string::npos) return CC_ERROR;
  std::vector<std::string> hits;
  for (auto& w : *completion_words)
    if (w.rfind(before, 0) == 0) hits.push_back(w);
  if (hits.empty()) return CC_ERROR;
  if (hits.size() == 1) {
    std::string rest = hits[0].substr(before.size()) + " ";
    el_insertstr(el, rest.c_str());
    return CC_REDISPLAY;
  }
  std::printf("\n");
  for (auto& h : hits) std::printf("%s  ", h.c_str());
  std::printf("\n");
  return CC_REDISPLAY;
}

// Splits a line into words; '...' and "..." group words with spaces.
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char ch : line) {
    if (quote) {
      if (ch == quote)
        quote = 0;
      else
        cur += ch;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      in_word = true;
    } else if (ch == ' ' || ch == '\t' || ch == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += ch;
      in_word = true;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

}  // namespace

int interactive(const std::string& program, connection& conn) {
  auto words = verbs_of(program);
  words.push_back("help");
  words.push_back("exit");
  completion_words = &words;
  prompt_text = program + "> ";
  EditLine* el = el_init(program.c_str(), stdin, stdout, stderr);
  History* hist = history_init();
  HistEvent ev;
  history(hist, &ev, H_SETSIZE, 500);
  el_set(el, EL_PROMPT, prompt);
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_HIST, history, hist);
  // The wide call: libedit keeps the two names as given (static here).
  // The narrow el_set(EL_ADDFN) wcsdup()s them and never frees the copies
  // (libedit eln.c says so): a leak LeakSanitizer reported on every exit.
  el_wset(el, EL_ADDFN, L"stmfadm-complete", L"complete a verb", complete);
  el_set(el, EL_BIND, "^I", "stmfadm-complete", nullptr);
  el_source(el, nullptr);  // ~/.editrc, as every libedit program
  int last = exit_ok;
  for (;;) {
    int count = 0;
    const char* line = el_gets(el, &count);
    if (line == nullptr || count <= 0) break;  // end of input
    auto args = split(line);
    if (args.empty()) continue;
    history(hist, &ev, H_ENTER, line);
    if (args[0] == "exit" || args[0] == "quit") break;
    if (args[0] == "help") args = {"--help"};
    last = run_verb(program, args, conn);
  }
  history_end(hist);
  el_end(el);
  completion_words = nullptr;
  return last;
}

}  // namespace stmfd::stmfadm
