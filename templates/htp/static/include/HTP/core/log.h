// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// The log macros. Each returns GraphStatus::ErrorFatal, so `return errlog("...");` is an error
// return. On the host the messages of a call go back to the runtime with its result.
#ifndef OPGEN_HTP_LOG_H
#define OPGEN_HTP_LOG_H

#include <cstdarg>
#include <cstdio>
#include <string>

#include "HTP/core/graph_status.h"

enum NNLogLevel { NN_LOG_ERRORLVL = 0, NN_LOG_WARNLVL = 1, NN_LOG_STATLVL = 2, NN_LOG_INFOLVL = 3,
                  NN_LOG_VERBOSELVL = 4, NN_LOG_DEBUGLVL = 11 };

namespace opgen_htp __attribute__((visibility("hidden"))) {

// Where the messages of the running call go (set by the host entry points); at most `limit` bytes.
struct MessageSink {
  std::string text;
  size_t limit = 0;
};

inline MessageSink*& current_sink() noexcept {
  static thread_local MessageSink* sink = nullptr;
  return sink;
}

inline void add_message(int level, const std::string& message) {
  MessageSink* sink = current_sink();
  if (sink == nullptr || sink->text.size() >= sink->limit) return;
  std::string line = std::to_string(level) + "\t" + message;
  for (char& c : line)
    if (c == '\n') c = ' ';
  sink->text += line;
  sink->text += '\n';
}

__attribute__((format(printf, 4, 5))) inline GraphStatus log_message(int level, const char* file,
                                                                      int line, const char* fmt, ...) {
  char buffer[1024];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buffer, sizeof buffer, fmt, args);
  va_end(args);
  const char* base = file;
  for (const char* p = file; *p; ++p)
    if (*p == '/') base = p + 1;
  add_message(level, std::string(base) + ":" + std::to_string(line) + ": " + buffer);
  return GraphStatus::ErrorFatal;
}

}  // namespace opgen_htp

#define OPGEN_HTP_LOG_(level, fmt, ...) ::opgen_htp::log_message(level, __FILE__, __LINE__, fmt, ##__VA_ARGS__)
#define logmsg(prio, fmt, ...) OPGEN_HTP_LOG_(static_cast<int>(prio), fmt, ##__VA_ARGS__)
#define errlog(fmt, ...) OPGEN_HTP_LOG_(NN_LOG_ERRORLVL, fmt, ##__VA_ARGS__)
#define warnlog(fmt, ...) OPGEN_HTP_LOG_(NN_LOG_WARNLVL, fmt, ##__VA_ARGS__)
#define okaylog(fmt, ...) OPGEN_HTP_LOG_(NN_LOG_STATLVL, fmt, ##__VA_ARGS__)
#define infolog(fmt, ...) OPGEN_HTP_LOG_(NN_LOG_INFOLVL, fmt, ##__VA_ARGS__)
#define verboselog(fmt, ...) OPGEN_HTP_LOG_(NN_LOG_VERBOSELVL, fmt, ##__VA_ARGS__)
#define debuglog(fmt, ...) OPGEN_HTP_LOG_(NN_LOG_DEBUGLVL, fmt, ##__VA_ARGS__)
#define rawlog(fmt, ...) OPGEN_HTP_LOG_(NN_LOG_INFOLVL, fmt, ##__VA_ARGS__)

#endif  // OPGEN_HTP_LOG_H
