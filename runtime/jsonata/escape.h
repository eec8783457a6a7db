#pragma once

// String escapes, one table for the expression lexer and the JSON reader (value.cpp).

#include <cstdint>

namespace sb::jsonata {

// The character that \c stands for (\" \\ \/ \b \f \n \r \t), -1 for any other c ('u' is
// followed by four hex digits, each worth hexDigit()).
int escapedChar(uint32_t c);
// The value of a hex digit, -1 for any other character.
int hexDigit(uint32_t c);

} // namespace sb::jsonata
