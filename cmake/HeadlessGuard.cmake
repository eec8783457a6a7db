# switchboard_assert_headless(TARGET): stop the configure step when TARGET links a Qt GUI module,
# directly or through one of its own project libraries.
function(_switchboard_collect_links target out_var visited_var)
  set(visited ${${visited_var}})
  if(target IN_LIST visited)
    return()
  endif()
  list(APPEND visited ${target})
  set(${visited_var} ${visited} PARENT_SCOPE)
  get_target_property(links ${target} LINK_LIBRARIES)
  get_target_property(ilinks ${target} INTERFACE_LINK_LIBRARIES)
  set(all)
  foreach(lib IN LISTS links ilinks)
    if(lib AND NOT lib MATCHES "-NOTFOUND$")
      string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
      list(APPEND all ${lib})
      if(TARGET ${lib} AND lib MATCHES "^switchboard")
        set(sub) # a target visited before returns nothing, not the last one's list
        _switchboard_collect_links(${lib} sub visited)
        list(APPEND all ${sub})
      endif()
    endif()
  endforeach()
  list(REMOVE_DUPLICATES all)
  set(${out_var} ${all} PARENT_SCOPE)
  set(${visited_var} ${visited} PARENT_SCOPE)
endfunction()

function(switchboard_assert_headless target)
  set(visited)
  _switchboard_collect_links(${target} libs visited)
  foreach(lib IN LISTS libs)
    if(lib MATCHES "Qt6?::(Gui|Quick|Qml|Widgets|QuickControls2|Svg)$"
       OR lib MATCHES "^Qt6?(Gui|Quick|Qml|Widgets)$")
      message(FATAL_ERROR "${target} links ${lib}: model and runtime must stay headless "
                          "(no Qt Gui, Quick, Qml or Widgets). See DESIGN.md.")
    endif()
  endforeach()
endfunction()

# Every runtime component (the global property SWITCHBOARD_RUNTIME_COMPONENTS, filled by
# runtime/CMakeLists.txt) checked on its own, so a component no aggregate links is covered.
function(switchboard_assert_headless_components)
  get_property(components GLOBAL PROPERTY SWITCHBOARD_RUNTIME_COMPONENTS)
  foreach(component IN LISTS components)
    switchboard_assert_headless(${component})
  endforeach()
endfunction()
