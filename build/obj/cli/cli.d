build/obj/cli/cli.o: src/cli/cli.c src/cli/cli.h src/util/err.h \
 src/util/exitcodes.h
src/cli/cli.h:
src/util/err.h:
src/util/exitcodes.h:
