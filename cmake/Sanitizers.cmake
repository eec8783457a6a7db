# Sanitizer and fuzzing builds (scripts/sanitize.sh, scripts/fuzz.sh). Everything in the tree
# is instrumented, so a bug in a library shows up whichever test or harness reaches it.
if(SWITCHBOARD_SANITIZE OR SWITCHBOARD_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(SWITCHBOARD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SWITCHBOARD_FUZZ needs clang (libFuzzer): "
                        "configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  # Coverage instrumentation everywhere; only the fuzz_* executables link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
