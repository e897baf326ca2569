// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// GraphStatus: the result of an op function.
#ifndef OPGEN_HTP_GRAPH_STATUS_H
#define OPGEN_HTP_GRAPH_STATUS_H

#include <cstdint>

struct GraphStatus {
  enum GraphErrorCode : int {
    Success = 0,
    ErrorRank = 1,
    ErrorDimensions = 2,
    ErrorPrecision = 3,
    ErrorNAN = 4,
    ErrorNoTCM = 5,
    ErrorNoSpace = 6,
    ErrorUnsupported = 7,
    ErrorSequence = 8,
    ErrorBadID = 9,
    ErrorBadInput = 10,
    ErrorInvalidTCM = 11,
    ErrorFatalSchdule = 12,
    ErrorFatalTCMRequest = 13,
    ErrorFatalAllocate = 14,
    ErrorFatalCheck = 15,
    ErrorBadOpName = 16,
    ErrorFatalOptimize = 17,
    ErrorFatalCSE = 18,
    ErrorFatalInsert = 19,
    ErrorFatalReschedule = 20,
    ErrorEmptyList = 21,
    ErrorFatalExecute = 22,
    ErrorFatalExecuteLastRun = 23,
    ErrorTCMAcquire = 24,
    ErrorHMXAcquire = 25,
    ErrorHMXPower = 26,
    ErrorBadPMU = 27,
    ErrorThreadCounts = 28,
    ErrorClobberedPMU = 29,
    ErrorFatalApiRecVersion = 94,
    ErrorFatalDeserialize = 95,
    ErrorFatalBlobVersion = 96,
    ErrorFatalBlobVtcmSize = 97,
    ErrorFatalUnusableGraph = 98,
    ErrorFatalException = 99,
    NotApplicable = 100,
    Yielding = 101,
    AbortSuccess = 102,
    ErrorFatal = -1
  };

  GraphErrorCode code = Success;

  constexpr GraphStatus() = default;
  constexpr GraphStatus(GraphErrorCode c) : code(c) {}  // NOLINT: implicit, as on the device
  constexpr explicit GraphStatus(int c) : code(static_cast<GraphErrorCode>(c)) {}
  constexpr int to_int() const { return static_cast<int>(code); }
  // True on error (anything but Success), so `if (status) return status;` works.
  constexpr explicit operator bool() const { return code != Success; }
  friend constexpr bool operator==(GraphStatus a, GraphErrorCode b) { return a.code == b; }
  friend constexpr bool operator!=(GraphStatus a, GraphErrorCode b) { return a.code != b; }
  friend constexpr bool operator==(GraphStatus a, GraphStatus b) { return a.code == b.code; }
  friend constexpr bool operator!=(GraphStatus a, GraphStatus b) { return a.code != b.code; }
};

#endif  // OPGEN_HTP_GRAPH_STATUS_H
