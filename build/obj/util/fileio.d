build/obj/util/fileio.o: src/util/fileio.c src/util/fileio.h \
 src/util/err.h src/util/exitcodes.h src/util/xalloc.h
src/util/fileio.h:
src/util/err.h:
src/util/exitcodes.h:
src/util/xalloc.h:
