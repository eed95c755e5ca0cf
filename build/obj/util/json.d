build/obj/util/json.o: src/util/json.c src/util/json.h src/util/err.h \
 src/util/exitcodes.h src/util/fileio.h src/util/xalloc.h
src/util/json.h:
src/util/err.h:
src/util/exitcodes.h:
src/util/fileio.h:
src/util/xalloc.h:
